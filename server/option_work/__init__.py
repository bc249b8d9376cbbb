"""An owner's ordered work as the carrier's task (草刈, 巡回看板, 簡単な清掃, 不用品整理) and its end."""
