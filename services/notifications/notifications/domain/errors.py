"""The notifications service's refusals, in Indonesian and English. Each names the rule broken."""

from __future__ import annotations

from shared.kernel.errors import NotFound, Refused
from shared.kernel.principal import Forbidden


class RecipientNotFound(NotFound):
    code = "recipient_not_found"
    field = "recipient_id"
    messages = {
        "id": "Penerima notifikasi {recipient_id} tidak ditemukan.",
        "en": "Recipient {recipient_id} was not found.",
    }


class InboxItemNotFound(NotFound):
    code = "inbox_item_not_found"
    field = "delivery_id"
    messages = {
        "id": "Notifikasi {delivery_id} tidak ada di kotak masuk penerima ini.",
        "en": "Notification {delivery_id} is not in this recipient's inbox.",
    }


class UnknownEventType(Refused):
    code = "unknown_event_type"
    field = "subscriptions"
    messages = {
        "id": "Jenis peristiwa '{event_type}' tidak dikenal atau tidak bisa dilanggani. "
        "Pilih dari daftar di GET /event-types.",
        "en": "Event type '{event_type}' is not known or cannot be subscribed to. "
        "Choose from the list at GET /event-types.",
    }


class WebhookUrlInvalid(Refused):
    code = "webhook_url_invalid"
    field = "webhook.url"
    messages = {
        "id": "Alamat webhook harus diawali http:// atau https:// dan memuat nama host "
        "(yang dikirim: {url}).",
        "en": "The webhook address must start with http:// or https:// and name a host (got: {url}).",
    }


class WebhookTargetForbidden(Refused):
    code = "webhook_target_forbidden"
    field = "webhook.url"
    messages = {
        "id": "Alamat webhook tidak boleh menuju {reason_id}; gunakan alamat publik (yang dikirim: {url}).",
        "en": "The webhook address may not point at {reason_en}; use a public address (got: {url}).",
    }


class ChannelNotOffered(Refused):
    code = "channel_not_offered"
    field = "channels"
    messages = {
        "id": "Saluran '{channel}' tidak tersedia untuk penerima ini (pilih inbox, email atau whatsapp).",
        "en": "Channel '{channel}' is not offered to this recipient (choose inbox, email or whatsapp).",
    }


class RemindersInvalid(Refused):
    code = "reminders_invalid"
    field = "days_before"
    messages = {
        "id": "Hari pengingat harus berupa 0 sampai 5 bilangan bulat antara 1 dan 60, tanpa pengulangan.",
        "en": "Reminder days must be 0 to 5 whole numbers between 1 and 60, none repeated.",
    }


class NotAnAccount(Refused):
    code = "not_an_account"
    field = None
    messages = {
        "id": "Hanya orang yang masuk dengan akunnya yang memiliki pengaturan pemberitahuan.",
        "en": "Only a person signed in with their account has notification settings.",
    }


class WhatsAppNumberInvalid(Refused):
    code = "whatsapp_number_invalid"
    field = "whatsapp"
    messages = {
        "id": "Nomor WhatsApp '{number}' bukan nomor seluler Indonesia. "
        "Tulis seperti 081234567890 atau +6281234567890.",
        "en": "'{number}' is not an Indonesian mobile number. Write it like 081234567890 or +6281234567890.",
    }


class WhatsAppSignatureMissing(Forbidden):
    code = "whatsapp_signature_missing"
    field = "X-Hub-Signature-256"
    messages = {
        "id": "Panggilan status WhatsApp harus bertanda tangan (header X-Hub-Signature-256).",
        "en": "A WhatsApp status callback must be signed (the X-Hub-Signature-256 header).",
    }


class WhatsAppSignatureInvalid(Forbidden):
    code = "whatsapp_signature_invalid"
    field = "X-Hub-Signature-256"
    messages = {
        "id": "Tanda tangan panggilan status WhatsApp tidak sah; tidak ada yang diterapkan.",
        "en": "The WhatsApp status callback's signature is not valid; nothing was applied.",
    }


class WhatsAppVerificationRefused(Forbidden):
    code = "whatsapp_verification_refused"
    field = "hub.verify_token"
    messages = {
        "id": "Token verifikasi WhatsApp tidak cocok.",
        "en": "The WhatsApp verify token does not match.",
    }


#: The same refusal, by the name the account-following code uses.
WhatsappNumberInvalid = WhatsAppNumberInvalid
