"""QA scores against outcomes: how passing a criterion relates to CSAT and first-contact resolution."""
