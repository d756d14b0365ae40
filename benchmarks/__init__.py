"""Performance benchmark: our app against a naive Streamlit build, side by side (see run.py)."""
