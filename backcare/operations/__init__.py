"""Running backcare safely: backups, restores and the durability guard."""
