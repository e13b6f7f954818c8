"""Log in with a Callcoach username and password."""

from __future__ import annotations

import streamlit as st

from coaching_ui import session

st.title("Callcoach")
st.caption("Quality review and coaching for the Public Works contact center")

with st.form("login"):
    username = st.text_input("Username")
    password = st.text_input("Password", type="password")
    submitted = st.form_submit_button("Log in", type="primary")

if submitted:
    refused = session.log_in(username, password)
    if refused is not None:
        st.error(refused)
    else:
        st.rerun()
