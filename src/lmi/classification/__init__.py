"""Domain rules of the classifications lmi serves: SOC codes, regions, qualification levels."""
