"""``python -m lienthong.documents``: serve the documents service alone (distributed mode)."""

from lienthong.documents.bootstrap import main

main()
