"""The pure domain core: rules and arithmetic, importing neither Flask nor extensions."""
