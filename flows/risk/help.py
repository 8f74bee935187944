from flows.risk.lexicon import Group

EN: list[Group] = []
ES: list[Group] = []
