"""Machine-versus-human agreement per criterion, and the trust (automation guard) it earns."""
