"""Law packs: the amnesty law and the Criminal Code catalogue as versioned, validated data."""
