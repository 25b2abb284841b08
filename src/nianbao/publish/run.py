"""`nianbao publish`: a deploy with its failures said in one sentence (no traceback for a wrong key or bucket)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from nianbao.publish.bucket import Target, deploy
from nianbao.publish.headers import unknown_suffixes


class PublishFailed(RuntimeError):
    """The bucket could not be reached or refused the deploy."""


def publish_site(site: Path, target: Target, client: Any, dry_run: bool = False,
                 progress: Callable[[str], None] = lambda _: None) -> str:
    """Deploys and returns the summary line; raises PublishFailed with the reason."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    unknown = unknown_suffixes([p.name for p in site.rglob("*") if p.is_file()])
    if unknown:
        progress(f"no Content-Type known for {', '.join(unknown)}: uploaded as application/octet-stream")
    try:
        done = deploy(site, target, client, dry_run=dry_run, progress=progress)
    except NoCredentialsError:
        raise PublishFailed("no credentials for the bucket: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY") from None
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise PublishFailed(f"{target} refused the deploy: {error.get('Code', '?')}: "
                            f"{error.get('Message', str(exc))}") from None
    except BotoCoreError as exc:
        raise PublishFailed(f"{target} could not be reached: {exc}") from None
    return ("(dry run) " if dry_run else "") + done.line(target)
