"""How support is doing: questions, deflection, cases, response times, SLA, satisfaction, helpfulness."""
