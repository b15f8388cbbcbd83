"""Create the media bucket named by MEDIA_STORAGE_URL if it is missing (docker-compose runs this before
the web server starts). With local files there is nothing to do. The bucket stays private: files are
served through signed addresses only (config/media.py)."""

from botocore.exceptions import ClientError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the S3 bucket of MEDIA_STORAGE_URL if it does not exist yet."

    def handle(self, *args, **options):
        storage = default_storage
        if not getattr(storage, "signs_urls", False):
            self.stdout.write("Media are local files (MEDIA_STORAGE_URL is not set): nothing to do.")
            return
        client = storage.connection.meta.client
        name = storage.bucket_name
        try:
            client.head_bucket(Bucket=name)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in {"404", "NoSuchBucket"}:
                raise
            options = {}
            if storage.region_name and storage.region_name != "us-east-1":
                options["CreateBucketConfiguration"] = {"LocationConstraint": storage.region_name}
            client.create_bucket(Bucket=name, **options)
            self.stdout.write(f"Created the media bucket {name} at {storage.endpoint_url}.")
        else:
            self.stdout.write(f"The media bucket {name} at {storage.endpoint_url} exists.")
