"""Running backcare safely: serving it (and the demo), backups, restores and the durability
guard."""
