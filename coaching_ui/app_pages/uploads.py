"""Uploads: recordings and transcripts with their metadata, each file checked and processed like the CLI's."""

from __future__ import annotations

import streamlit as st

from coaching_ui import session
from coaching_ui.components import uploads as widgets
from qa import access

principal = session.require_role(access.UPLOADERS)
st.title("Upload interactions")
st.caption(
    "Recordings (wav, mp3, flac, ogg, m4a) and transcripts (json, jsonl, csv, txt). Supervisors upload for "
    "the agents of their own team; a file already stored is recognized and linked, not stored twice."
)

files = st.file_uploader(
    "Recordings and transcripts",
    accept_multiple_files=True,
    key="upload_files",
    max_upload_size=widgets.max_upload_megabytes(),
)
manifest_file = st.file_uploader(
    "Manifest CSV (optional): a 'file' column, then agent, external_id, started_at, queue, ...",
    type=["csv"],
    key="upload_manifest",
)
st.caption(
    "Without a manifest row, recordings and .txt transcripts get these (JSON and CSV carry their own):"
)
shared = widgets.shared_metadata(principal)
manifest = widgets.read_manifest(manifest_file)
if manifest and files:
    widgets.warn_unmatched(manifest, files)

if st.button(
    "Upload", type="primary", icon=":material/upload:", disabled=not files or manifest is None, key="upload"
):
    widgets.upload_all(principal, files or [], manifest or {}, shared)
