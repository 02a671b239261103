"""Operator commands for accounts, run where the registry's settings are (its
environment): `python -m registry.accounts create-admin --email staf@example.org`.

The password comes from REGISTRY_NEW_ADMIN_PASSWORD, or is asked for.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys

from pydantic_core import PydanticCustomError

from shared.kernel.errors import DomainError
from shared.platform.passwords import check_new_password, refuse_email_in_password
from shared.platform.persistence.mongo import prepare_database
from shared.platform.persistence.unit_of_work import Cause

from .bootstrap import bootstrap
from .service_layer import accounts
from .service_layer.commands import OpenAccount


async def create_admin(email: str, name: str, password: str) -> int:
    system = bootstrap()
    runtime = system.runtime
    try:
        await prepare_database(runtime.db, runtime.repositories)
        account = await accounts.open_account(
            system.uow(Cause.new()),
            system.clock,
            system.passwords,
            OpenAccount(email=email, name=name, role="staff", password=password),
        )
    except DomainError as error:
        print(error.message("en"), file=sys.stderr)
        return 1
    finally:
        runtime.mongo.close()
    print(f"staff account {account.email} opened ({account.account_id})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m registry.accounts", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin", help="open a staff account")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", default="Admin")
    args = parser.parse_args(argv)
    password = os.environ.get("REGISTRY_NEW_ADMIN_PASSWORD") or getpass.getpass("Password (10+ characters): ")
    try:  # the one password policy, as over HTTP
        password = check_new_password(password)
        refuse_email_in_password(password, args.email)
    except PydanticCustomError as refused:
        print(f"password refused ({refused.type}): {refused.message()}", file=sys.stderr)
        return 2
    return asyncio.run(create_admin(args.email, args.name, password))


if __name__ == "__main__":
    sys.exit(main())
