"""Ingest: a file on disk → pages of text. One reader per format (text, PDF, HTML, Word, OCR of scans);
`dispatch` picks the reader by file type."""
