"""SMS sending. Chinese providers accept approved templates only, so we send a template and parameters.

A real provider plugs in through the SMS_BACKEND setting: a class with `send(phone, template, params,
idempotency_key)`. The console backend writes SmsLog rows (see petitions) that tests can read; with
SMS_CONSOLE_SHOWS_CONTENT (on in `make run` only) it also prints the message in full, so a tester can read
the verification code on the console.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from grids.pii import mask_phone

from .models import SmsLog

logger = logging.getLogger("linli.sms")


class ConsoleSmsBackend:
    def send(self, *, phone, template, params, idempotency_key):
        log, created = SmsLog.objects.get_or_create(
            idempotency_key=idempotency_key, defaults={"phone": phone, "template": template, "params": params}
        )
        if created and settings.SMS_CONSOLE_SHOWS_CONTENT:
            logger.info(
                "sms phone=%s template=%s params=%s key=%s",
                mask_phone(phone),
                template,
                params,
                idempotency_key,
            )
        elif created:
            logger.info("sms phone=%s template=%s key=%s", mask_phone(phone), template, idempotency_key)
        return log


def send_sms(*, phone, template, params, idempotency_key):
    backend = import_string(settings.SMS_BACKEND)()
    return backend.send(phone=phone, template=template, params=params, idempotency_key=idempotency_key)
