from pathlib import Path

# A copy of ../shared/examples (SPEC's sample portfolio and its expected values), kept in the
# repository so the suite runs from any clone, wherever it is checked out.
EXAMPLES = Path(__file__).resolve().parent / "examples"
