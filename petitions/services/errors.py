from django.core.exceptions import ValidationError


class PetitionError(ValidationError):
    """An action refused: illegal from this state, or not allowed for this person."""
