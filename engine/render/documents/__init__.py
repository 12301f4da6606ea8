"""Official documents in Word and PDF (Decree 30/2020/NĐ-CP presentation): score sheets, minutes, plans, proposals."""
