"""The uploads page's parts: metadata for the files, then each file through qa.ingestion.upload with a bar.

Every check (type, size, content, duplicates, the supervisor's team) is the upload service's, as for the API.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from coaching_ui.components.common import visible_agents
from coaching_ui.figures import md_literal
from qa.access import Principal
from qa.config import get_settings
from qa.errors import CallcoachError
from qa.ingestion import upload as upload_service
from qa.ingestion.metadata import InteractionMetadata, parse_manifest
from qa.ingestion.schemas import UploadResult
from qa.jobs import runner
from qa.jobs.executors import get_executor

FROM_FILE = "(as in the file or manifest)"
INTERACTION_PAGE = "app_pages/interaction.py"
Manifest = dict[str, InteractionMetadata]


def max_upload_megabytes() -> int:
    """The upload limit of the settings, in the megabytes the file picker counts."""
    return max(1, math.ceil(get_settings().max_upload_bytes / (1 << 20)))


def shared_metadata(principal: Principal) -> dict[str, str]:
    """Metadata for every recording and .txt transcript that the manifest does not describe."""
    left, right = st.columns(2)
    agent = left.selectbox("Agent", [FROM_FILE, *visible_agents(principal)], key="upload_agent")
    queue = right.text_input("Queue", max_chars=64, key="upload_queue").strip()
    chosen = {"agent": "" if agent == FROM_FILE else agent, "queue": queue}
    return {key: value for key, value in chosen.items() if value}


def read_manifest(manifest: UploadedFile | None) -> Manifest | None:
    """The manifest's rows by file name ({} without one), or None after showing why it cannot be read."""
    if manifest is None:
        return {}
    try:
        rows = parse_manifest(manifest.name, manifest.getvalue())
    except CallcoachError as exc:
        st.error(md_literal(str(exc)))
        return None
    return {Path(name).name: row for name, row in rows.items()}


def warn_unmatched(manifest: Manifest, files: Sequence[UploadedFile]) -> None:
    """Name the manifest rows whose file was not picked."""
    unmatched = sorted(set(manifest) - {f.name for f in files})
    if unmatched:
        listed = ", ".join(unmatched[:10]) + (" ..." if len(unmatched) > 10 else "")
        st.warning(md_literal(f"The manifest lists {len(unmatched)} file(s) not picked: {listed}"))


def upload_all(
    principal: Principal, files: Sequence[UploadedFile], manifest: Manifest, shared: dict[str, str]
) -> None:
    """Upload the files one by one, each with its progress bar, error or links to its interactions."""
    settings = get_settings()
    remote = get_executor(settings).remote
    for file in files:
        with st.container(border=True):
            st.markdown(f"**{md_literal(file.name)}**")
            bar = st.progress(0, text="Uploading")
            try:
                result = upload_service.upload(
                    principal=principal,
                    settings=settings,
                    filename=file.name,
                    stream=file,
                    metadata=_metadata_for(file.name, manifest, shared),
                )
            except CallcoachError as exc:
                bar.progress(100, text="Failed")
                st.error(md_literal(str(exc)))
                continue
            bar.progress(50, text="Stored; processing")
            runner.process_new_interactions(settings, result.interactions)
            bar.progress(100, text="Handed to the workers" if remote else "Processed")
            _show_result(result)


def _metadata_for(name: str, manifest: Manifest, shared: dict[str, str]) -> str | None:
    row = manifest.get(name)
    if row is not None:
        return json.dumps(row.model_dump(mode="json", exclude_none=True))
    if shared and Path(name).suffix.lower() in upload_service.SIDECAR_SUFFIXES:
        return json.dumps(shared)
    return None


def _show_result(result: UploadResult) -> None:
    for interaction_id in result.interactions:
        _link(interaction_id, f"New interaction {interaction_id}")
    for interaction_id in result.duplicates:
        _link(interaction_id, f"Already stored as interaction {interaction_id}")
    if result.duplicates_out_of_scope:
        st.info(f"{result.duplicates_out_of_scope} already stored outside your team (not shown).")


def _link(interaction_id: int, label: str) -> None:
    st.page_link(
        INTERACTION_PAGE, label=label, icon=":material/open_in_new:", query_params={"id": str(interaction_id)}
    )
