"""placeholder"""

import streamlit as st

from coaching_ui import session

session.require_role(*session.MANAGERS)
st.title("performance_review")
