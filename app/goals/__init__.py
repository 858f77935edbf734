"""Goals per theme (step 4): what the park wants to reach by the end of the cycle, and the values measured since."""
