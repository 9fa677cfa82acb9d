"""The emitted environment proven here: resolved for the image (`validate --resolve`), built as a
fresh virtual environment (`run --isolated`) or as the image itself (`run --docker`)."""
