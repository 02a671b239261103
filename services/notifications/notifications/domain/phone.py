"""WhatsApp numbers: Indonesian mobile numbers, kept in E.164 (+62...), the form
the gateways take."""

from __future__ import annotations

import phonenumbers

from .errors import WhatsAppNumberInvalid


def whatsapp_e164(number: str) -> str:
    """`number` (081234567890, +62 812-3456-7890, 6281234567890) as +6281234567890;
    refuses anything that is not an Indonesian mobile number."""
    try:
        parsed = phonenumbers.parse(number, "ID")
    except phonenumbers.NumberParseException:
        raise WhatsAppNumberInvalid(number=number) from None
    mobile = phonenumbers.number_type(parsed) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    if parsed.country_code != 62 or not phonenumbers.is_valid_number(parsed) or not mobile:
        raise WhatsAppNumberInvalid(number=number)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
