"""Where uploads and generated files live: local files (the default, `make run`) or an S3-compatible
bucket (MinIO, or a cloud's object storage) when MEDIA_STORAGE_URL is set, so that every web node and
worker sees the same files.

    MEDIA_STORAGE_URL=s3://ACCESS_KEY:SECRET_KEY@HOST[:PORT]/BUCKET[/PREFIX]?region=us-east-1&secure=1
                        &expire=300&public_url=https://files.example.cn

- ACCESS_KEY and SECRET_KEY are percent-encoded (a "/" in a secret is %2F).
- secure: 1 (the default) talks HTTPS to HOST, 0 plain HTTP (a MinIO on the private network).
- region: the bucket's region (default us-east-1, which MinIO accepts).
- expire: seconds a signed download address stays valid (default 300).
- public_url: the address browsers reach the storage at, when it differs from HOST (docker-compose: the
  servers talk to http://minio:9000, browsers to https://SERVER_NAME:9443 through the proxy). Signed
  addresses are made for it; default: the same as HOST.

Every file is private: the bucket needs no public policy. A view checks access, then
config.media.private_file_response redirects to a signed address valid for `expire` seconds.
"""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

KNOWN_OPTIONS = {"region", "secure", "expire", "public_url"}


def parse_media_storage_url(url: str) -> dict:
    """The STORAGES["default"] entry for a MEDIA_STORAGE_URL (see the module's docstring)."""
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL must start with s3:// (s3://KEY:SECRET@HOST:PORT/BUCKET)."
        )
    if not parts.hostname or not parts.username or not parts.password:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE_URL needs a key, a secret and a host: s3://KEY:SECRET@HOST/BUCKET."
        )
    bucket, _, prefix = parts.path.strip("/").partition("/")
    if not bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE_URL names no bucket: s3://KEY:SECRET@HOST/BUCKET.")
    query = {key: values[-1] for key, values in parse_qs(parts.query, keep_blank_values=True).items()}
    unknown = set(query) - KNOWN_OPTIONS
    if unknown:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL has unknown options {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(KNOWN_OPTIONS))}."
        )
    secure = query.get("secure", "1")
    if secure not in {"0", "1"}:
        raise ImproperlyConfigured("MEDIA_STORAGE_URL: secure must be 0 or 1.")
    try:
        expire = int(query.get("expire", "300"))
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured("MEDIA_STORAGE_URL: the port and expire must be whole numbers.") from None
    if not 1 <= expire <= 7 * 24 * 3600:
        raise ImproperlyConfigured("MEDIA_STORAGE_URL: expire must be between 1 second and 7 days.")
    scheme = "https" if secure == "1" else "http"
    endpoint = f"{scheme}://{parts.hostname}" + (f":{port}" if port else "")
    public_url = query.get("public_url", "").rstrip("/")
    if public_url and urlsplit(public_url).scheme not in {"http", "https"}:
        raise ImproperlyConfigured("MEDIA_STORAGE_URL: public_url must be an http(s) address.")
    return {
        "BACKEND": "config.storage.PrivateS3Storage",
        "OPTIONS": {
            "access_key": unquote(parts.username),
            "secret_key": unquote(parts.password),
            "bucket_name": bucket,
            "location": prefix,
            "endpoint_url": endpoint,
            "public_endpoint_url": public_url or endpoint,
            "region_name": query.get("region") or "us-east-1",
            # MinIO and most S3-compatible servers want the bucket in the path, not in the host name.
            "addressing_style": "path",
            "signature_version": "s3v4",
            "querystring_auth": True,
            "querystring_expire": expire,
            # Two uploads with the same name both stay: Django picks a free name, as with local files.
            "file_overwrite": False,
            "default_acl": None,
        },
    }


class PrivateS3Storage(S3Storage):
    """S3 storage whose signed addresses are made for the address browsers use (public_endpoint_url),
    while the servers keep talking to endpoint_url. Signing needs no request, only the keys."""

    signs_urls = True

    def get_default_settings(self):
        return {**super().get_default_settings(), "public_endpoint_url": None}

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not self.public_endpoint_url or self.public_endpoint_url == self.endpoint_url:
            return super().url(name, parameters=parameters, expire=expire, http_method=http_method)
        client = getattr(self._connections, "public_client", None)
        if client is None:
            client = self._create_session().client(
                "s3",
                region_name=self.region_name,
                endpoint_url=self.public_endpoint_url,
                config=self.client_config,
            )
            self._connections.public_client = client
        params = {
            **(parameters or {}),
            "Bucket": self.bucket_name,
            "Key": self._normalize_name(clean_name(name)),
        }
        return client.generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=self.querystring_expire if expire is None else expire,
            HttpMethod=http_method,
        )
