"""Running backcare safely: serving it, backups, restores and the durability guard."""
