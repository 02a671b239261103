"""The notifications service's refusals, in Indonesian and English. Each names the rule broken."""

from __future__ import annotations

from shared.kernel.errors import NotFound, Refused


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
