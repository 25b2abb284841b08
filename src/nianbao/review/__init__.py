"""`nianbao review`: the work list of everything a person must settle — every unread or flagged cell, every
document that needs review and every failed identity — each with what was printed, where, and a picture of the
place in the source (issue 16). The filled form goes back through `nianbao review --apply` (`nianbao.settle`)."""
