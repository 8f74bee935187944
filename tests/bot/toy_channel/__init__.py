"""A toy channel, built the way `docs/adding-a-channel.md` says: this package plus one line in
`bot.channels.registry.CHANNEL_PACKAGES` (the test monkeypatches that list). Its "provider" is a list
in memory: the adapter appends what it sends, and the test posts replies to its webhook."""
