"""泛珠合作地图: the data spine and map logic, free of Streamlit."""
