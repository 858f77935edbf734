"""Step 3's inventory: partner figures, the gebiedsscan per stakeholder and the inspection walk (schouw)."""
