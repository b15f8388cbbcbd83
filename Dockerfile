# Linli server image: the web (gunicorn), worker and beat services of docker-compose.yml all run it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media \
    VAR_DIR=/app/var

WORKDIR /app
RUN groupadd --system --gid 1000 linli \
    && useradd --system --uid 1000 --gid linli --home-dir /app --no-create-home linli

# The TrueType CJK font the contact card PDFs embed (config/pdf.py).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, pinned by the lock, so that code changes do not reinstall them.
COPY requirements/base.lock requirements/base.lock
RUN pip install -r requirements/base.lock

COPY . .
# collectstatic needs settings that import; these build-time values are thrown away with this layer and
# never reach a running container (production refuses to start without the real ones).
RUN SECRET_KEY=build-only-collectstatic-not-a-secret-3fQ9xLz7wPq2Rk5Tn8Vb \
    ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    REDIS_URL=redis://localhost:6379/0 \
    FIELD_ENCRYPTION_KEYS=9lT1XbBvW3xq0m6QpV5JcJ8yXGZk0b2f3S7yQvZ1cUo= \
    BLIND_INDEX_KEY=build-only \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media /app/var \
    && chown -R linli:linli /app/media /app/var /app/staticfiles

USER linli
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
