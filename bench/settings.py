"""Production settings with the bench's URLs (a bare view beside the project's), for bench.public_pages."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
