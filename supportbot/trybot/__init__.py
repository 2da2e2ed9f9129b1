"""Try the bot: a staff page that shows the bot's replies as Slack and Teams show them (see views)."""
