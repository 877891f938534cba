"""The shell: the app, start-up, navigation, keys, config, help, the palette, problems."""
