"""What a person proves with their mailbox: a KIM registers itself and confirms it
with the link mailed to its email; a forgotten password is reset with a link mailed
to the account's email; a signed-in person changes their password.

Asking reveals nothing: a registration is answered the same whether its email is
free, taken or already pending, and a reset whether the account exists or not. The
mail says the rest, to the mailbox's owner only. Both are throttled per email and
per client address. A new password ends every session of the account.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from shared.kernel.clock import Clock
from shared.platform.persistence.unit_of_work import retry_on_conflict

from ..adapters.passwords import Passwords
from ..domain.account import Account, email_key
from ..domain.credentials import PasswordReset, PendingRegistration
from ..domain.errors import (
    CurrentPasswordWrong,
    KimNameTaken,
    LinkNotFound,
    LinkUsed,
    RegistrationEmailTaken,
    TooManyRequests,
)
from ..domain.kim import Kim, whatsapp_e164
from ..domain.mail import link, password_reset_mail, registration_attempt_mail, registration_mail
from ..domain.regions import RegionCatalog
from ..domain.request_throttle import Throttle
from ..domain.session import token_hash
from .commands import (
    ChangePassword,
    ConfirmRegistration,
    RequestPasswordReset,
    RequestRegistration,
    ResetPassword,
)
from .unit_of_work import RegistryUnitOfWork

CONFIRM_PATH = "/daftar/konfirmasi"
RESET_PATH = "/sandi/atur-ulang"
SIGN_IN_PATH = "/masuk"
FORGOT_PATH = "/sandi/lupa"


@dataclass
class Mailing:
    """Where the links in mails point, and the throttles of requests that send mail."""

    console_url: str
    per_email: Throttle
    per_client: Throttle

    async def admit(self, email: str, client: str) -> None:
        """Counts a request; `TooManyRequests` when the email or the client is over its allowance."""
        now, by_client, by_email = time.time(), [f"client:{client}"], [f"email:{email_key(email)}"]
        # Nothing counts against one when the other refuses.
        wait = max(
            await self.per_client.wait_seconds(by_client, now),
            await self.per_email.wait_seconds(by_email, now),
        )
        if wait > 0:
            raise TooManyRequests(retry_after_seconds=max(1, round(wait)))
        await self.per_client.take(by_client, now)
        await self.per_email.take(by_email, now)

    def url(self, path: str, token: str | None = None) -> str:
        if token is None:
            return self.console_url.rstrip("/") + path
        return link(self.console_url, path, token)


async def request_registration(
    uow: RegistryUnitOfWork,
    regions: RegionCatalog,
    clock: Clock,
    passwords: Passwords,
    mailing: Mailing,
    command: RequestRegistration,
) -> str:
    """Mails a confirmation link (or, when the email has an account already, a note
    saying someone tried); answers the email as it was understood, whichever it was."""
    kim = command.kim
    assert kim.representative_password is not None
    # Refusals that reveal nothing come first, field by field.
    regions.kelurahan(kim.kelurahan_code)
    whatsapp = whatsapp_e164(kim.whatsapp)
    await mailing.admit(kim.email, command.client)
    password_hash = await passwords.hash(kim.representative_password)
    email, now = email_key(kim.email), clock()
    async with uow:
        if await uow.kims.named(kim.name) is not None:
            raise KimNameTaken(name=kim.name.strip())  # KIM names are public
        if await uow.accounts.with_email(email) is not None:
            uow.mails.add(
                registration_attempt_mail(
                    to=email,
                    sign_in_url=mailing.url(SIGN_IN_PATH),
                    reset_url=mailing.url(FORGOT_PATH),
                    language=command.language,
                    now=now,
                )
            )
        else:
            registration, token = PendingRegistration.start(
                email=email,
                name=kim.name,
                kelurahan_code=kim.kelurahan_code,
                chair=kim.chair,
                whatsapp=whatsapp,
                members=kim.members,
                password_hash=password_hash,
                language=command.language,
                now=now,
            )
            uow.registrations.add(registration)
            uow.mails.add(
                registration_mail(
                    to=email,
                    kim_name=registration.name,
                    confirm_url=mailing.url(CONFIRM_PATH, token),
                    language=command.language,
                    now=now,
                )
            )
        await uow.commit()
    return email


@retry_on_conflict
async def confirm_registration(
    uow: RegistryUnitOfWork, regions: RegionCatalog, clock: Clock, command: ConfirmRegistration
) -> Kim:
    """The KIM and its representative's account, together, once per link."""
    now = clock()
    async with uow:
        registration = await uow.registrations.with_token(token_hash(command.token))
        if registration is None:
            raise LinkNotFound()
        kim = Kim.register(
            name=registration.name,
            kelurahan=regions.kelurahan(registration.kelurahan_code),
            chair=registration.chair,
            whatsapp=registration.whatsapp,
            email=registration.email,
            members=registration.members,
            now=now,
        )
        registration.confirm(now, kim.kim_id)
        holder = await uow.accounts.with_email(registration.email)
        named = await uow.kims.named(registration.name)
        if named is not None and email_key(named.email) == email_key(registration.email):
            # The same link, confirmed a moment ago by a request this one raced with.
            raise LinkUsed()
        if holder is not None:
            raise RegistrationEmailTaken()
        if named is not None:
            raise KimNameTaken(name=registration.name)
        uow.kims.add(kim)
        uow.accounts.add(
            Account.open(
                email=registration.email,
                name=f"{kim.name} ({kim.chair})",
                role="kim_rep",
                password_hash=registration.password_hash,
                now=now,
                kim_id=kim.kim_id,
            )
        )
        await uow.commit()
    return kim


async def request_password_reset(
    uow: RegistryUnitOfWork, clock: Clock, mailing: Mailing, command: RequestPasswordReset
) -> str:
    """Mails a reset link if an active account has the email; answers the same either way."""
    await mailing.admit(command.email, command.client)
    email, now = email_key(command.email), clock()
    async with uow:
        account = await uow.accounts.with_email(email)
        if account is not None and account.active:
            reset, token = PasswordReset.start(account.account_id, now=now)
            uow.password_resets.add(reset)
            uow.mails.add(
                password_reset_mail(
                    to=email, reset_url=mailing.url(RESET_PATH, token), language=command.language, now=now
                )
            )
            await uow.commit()
    return email


async def _new_password(uow: RegistryUnitOfWork, account: Account, password_hash: str, clock: Clock) -> None:
    account.change_password(password_hash)
    now = clock()
    for session in await uow.sessions.live_of_account(account.account_id):
        session.revoke(now, because="password changed")


@retry_on_conflict
async def reset_password(
    uow: RegistryUnitOfWork, clock: Clock, passwords: Passwords, command: ResetPassword
) -> Account:
    async with uow:
        reset = await uow.password_resets.with_token(token_hash(command.token))
        if reset is None:
            raise LinkNotFound()
        reset.check(clock())  # a spent or expired link is refused before any hashing
    # Hashing takes CPU on purpose: only for a link that works.
    password_hash = await passwords.hash(command.password)
    async with uow:
        reset = await uow.password_resets.with_token(token_hash(command.token))
        if reset is None:
            raise LinkNotFound()
        reset.use(clock())
        account = await uow.accounts.require(reset.account_id)
        await _new_password(uow, account, password_hash, clock)
        await uow.commit()
    return account


@retry_on_conflict
async def change_password(
    uow: RegistryUnitOfWork, clock: Clock, passwords: Passwords, command: ChangePassword
) -> Account:
    async with uow:
        account = await uow.accounts.require(command.account_id)
    if not await passwords.matches(account.password_hash, command.current_password):
        raise CurrentPasswordWrong()
    password_hash = await passwords.hash(command.new_password)
    async with uow:
        account = await uow.accounts.require(command.account_id)
        await _new_password(uow, account, password_hash, clock)
        await uow.commit()
    return account
