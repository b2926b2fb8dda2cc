"""The message log, which is also the claim: one row per (opinion, event, occurrence,
channel), inserted once (docs/MESSAGES.md, "Exactly once")."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet
from petitions.events import CitizenEvent
from petitions.models import Petition


class CitizenMessageQuerySet(ScopedQuerySet):
    scope_field = "petition__area"

    def needing_attention(self):
        """What the clerk must look at: given up after the retries, or lost with a worker."""
        return self.filter(status__in=(CitizenMessage.Status.FAILED, CitizenMessage.Status.UNKNOWN))


class CitizenMessage(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        ZALO = "zalo", _("Zalo")
        EMAIL = "email", _("E-mail")

    class Kind(models.TextChoices):
        RECEIVED = CitizenEvent.RECEIVED, _("Tiếp nhận")
        ASSIGNED = CitizenEvent.ASSIGNED, _("Giao giải quyết")
        EXTENDED = CitizenEvent.EXTENDED, _("Gia hạn")
        ANSWERED = CitizenEvent.ANSWERED, _("Có trả lời")
        CLOSED = CitizenEvent.CLOSED, _("Kết thúc")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không được")
        UNKNOWN = "unknown", _("Không rõ đã gửi chưa")
        CANCELLED = "cancelled", _("Không gửi: công dân đã ngừng nhận tin")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="citizen_messages")
    kind = models.CharField(_("sự kiện"), max_length=16, choices=Kind.choices)
    # Which occurrence of the event: an assignment's id, an extension's new deadline... ("" for
    # events that happen once, received and closed).
    event_key = models.CharField(_("lần"), max_length=64, blank=True, default="")
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=254)  # identity: shown masked
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True, default="")
    text = models.TextField(_("nội dung"))
    params = models.JSONField(_("tham số mẫu tin"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    batch = models.UUIDField(_("lô gửi"), db_index=True)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True, default="")
    provider_id = models.CharField(_("mã tin của nhà cung cấp"), max_length=100, blank=True, default="")
    created_at = models.DateTimeField(_("lúc tạo"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("lúc bắt đầu gửi"), null=True, blank=True)
    sent_at = models.DateTimeField(_("lúc gửi xong"), null=True, blank=True)

    objects = CitizenMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tin nhắn cho công dân")
        verbose_name_plural = _("nhật ký tin nhắn cho công dân")
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "kind", "event_key", "channel"], name="citizen_message_once"
            )
        ]
        indexes = [
            models.Index(fields=["petition", "-created_at"], name="citizen_message_petition"),
            # Deliveries a dead worker left behind, found by the resume sweep.
            models.Index(
                fields=["status", "claimed_at"],
                name="citizen_message_open",
                condition=Q(status__in=["pending", "sending"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.get_channel_display()} – #{self.petition_id}"

    @property
    def masked_recipient(self) -> str:
        """Enough for a clerk to recognise the contact, not to copy it: 091****678, a***@gmail.com."""
        if self.channel == self.Channel.EMAIL:
            local, _at, domain = self.recipient.partition("@")
            return f"{local[:1]}***@{domain}"
        return f"{self.recipient[:3]}****{self.recipient[-3:]}"

    @property
    def can_retry(self) -> bool:
        return self.status in (self.Status.FAILED, self.Status.UNKNOWN)


class MessageOptOut(models.Model):
    """The citizen asked, through the link on the tracking page, to hear no more of it."""

    petition = models.OneToOneField(
        Petition, on_delete=models.CASCADE, primary_key=True, related_name="message_opt_out"
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ngừng nhận tin")
        verbose_name_plural = _("ngừng nhận tin")

    def __str__(self) -> str:
        return f"#{self.petition_id} – {self.at:%d/%m/%Y %H:%M}"
