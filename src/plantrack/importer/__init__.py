"""Import: a received 工作要点 or 分工方案 (.txt, .docx, .pdf, .xlsx) made into a plan file."""
