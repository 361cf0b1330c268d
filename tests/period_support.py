"""A framework with periods for tests: one unit series, a 扣分制 part (履职, no floor) and a 得分制 part
(重点), and tables a quarter, a special assessment and the year assess. Each test module declares its
own periods (`FRAMEWORK_HEAD` + its [[period]] tables)."""

from __future__ import annotations

FRAMEWORK_HEAD = """\
id = "t"
title = "测试框架"

[[series]]
id = "office"
title = "科室"

[[part]]
id = "lz"
title = "履职绩效"
method = "deduction"
floor = "none"

[[part]]
id = "zd"
title = "重点绩效"
method = "earned"

"""

QUARTERLY = """\
[category]
id = "lz"
title = "履职绩效"
part = "lz"
points = 10

[[indicator]]
id = "lz-1"
target = "公文"
points = 0

[[indicator.rule]]
id = "err"
kind = "fixed"
amount = 0.2
per_occurrence = true

[[indicator]]
id = "lz-2"
target = "信息"
points = 0

[[indicator.rule]]
id = "info"
kind = "count"
key = "info"
name = "信息"
required = 1
amount = 0.1
"""

SPECIAL = """\
[category]
id = "zx"
title = "安全生产专项"
part = "lz"

[[indicator]]
id = "zx-1"
target = "安全检查"
points = 2

[[indicator.rule]]
id = "hazard"
kind = "fixed"
amount = 0.5
per_occurrence = true
"""

YEARLY = """\
[category]
id = "zd"
title = "重点绩效"
part = "zd"

[[indicator]]
id = "zd-1"
target = "重点工作"
points = 3
month = 12

[[indicator.rule]]
id = "rating"
kind = "award"
missing_amount = 3
"""
