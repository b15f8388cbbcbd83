"""Settings for `make run` on a laptop: debug on, embedded SQLite and broker unless told otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SMS_CONSOLE_SHOWS_CONTENT = env.bool("SMS_CONSOLE_SHOWS_CONTENT", default=True)
