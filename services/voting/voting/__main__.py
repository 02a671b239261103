"""`python -m voting`: serve the voting service on its configured host and port."""

from __future__ import annotations

import uvicorn

from .config import Settings


def main() -> None:
    settings = Settings()
    uvicorn.run(
        "voting.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        proxy_headers=False,  # the service believes X-Forwarded-For itself (VOTING_TRUSTED_PROXIES)
    )


if __name__ == "__main__":
    main()
