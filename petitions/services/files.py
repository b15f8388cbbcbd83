"""Photo files written inside a transaction, removed again if it rolls back."""

import logging

from ..models import PetitionPhoto

logger = logging.getLogger("linli.petitions")


def store_photos(petition, contents, written, event=None):
    """Write the files and their rows; each written file is noted so a rollback can remove it."""
    for content in contents:
        photo = PetitionPhoto(petition=petition, event=event)
        photo.image.save("photo.jpg", content, save=False)
        written.append((photo.image.storage, photo.image.name))
        photo.save()


def delete_files(written):
    """The transaction rolled back: the files written in it belong to no row, remove them."""
    for storage, name in written:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not remove orphan photo %s", name, exc_info=True)
    written.clear()
