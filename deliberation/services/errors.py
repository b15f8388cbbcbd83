from django.core.exceptions import ValidationError


class DeliberationError(ValidationError):
    """A deliberation write refused: a step out of order, counts that cannot be, a place outside the patch."""
