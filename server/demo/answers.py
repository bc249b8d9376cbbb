"""Plausible answer sets for the demo's past visits, keyed by the item keys of
rubrics/municipal_survey.v1.toml, .v2.toml and .v3.toml, watch_basic.v2.toml and post_disaster.v2.toml.

Survey answers are named house conditions (every required item answered); a visit row in
history.py picks one by name. tests/demo checks every set against the rubric engine, so a
rubric change that breaks them fails a test rather than the seeder.
"""

# municipal_survey v1 ------------------------------------------------------------------
# Lived in after all (the list was out of date): 空き家可能性 低, rank D.
OCCUPIED = {
    "nameplate": "present", "mailbox": "clear", "for_sale_sign": False, "curtains": "lived_in",
    "electric_meter": "running", "gas_meter": "in_use", "vegetation": "kept", "window_glass": "intact",
    "vehicle": "in_use", "entrance_barred": False, "rubbish": "none", "pests": "none",
    "structure": "none", "exterior_wall": "none", "roof": "none", "floor": "unseen",
    "walls_fences": "none", "falling_risk": False, "streetscape": False, "trees_over_boundary": False,
    "school_route": False,
}
# Vacant but looked after (an owner with a watch subscription): 中, D.
MANAGED = OCCUPIED | {"curtains": "closed", "gas_meter": "closed", "vehicle": "none"}
# Vacant, nobody calls: 高, C (finish fallen off one wall: 15).
QUIET_VACANT = OCCUPIED | {
    "nameplate": "absent", "mailbox": "piling", "curtains": "closed", "electric_meter": "stopped",
    "gas_meter": "closed", "vegetation": "overgrown", "vehicle": "none", "exterior_wall": "exposed",
}
# On the market: 高, D.
FOR_SALE = OCCUPIED | {
    "nameplate": "absent", "for_sale_sign": True, "curtains": "bare", "electric_meter": "stopped",
    "gas_meter": "closed", "vehicle": "none",
}
# Years without care: 高, B (25 + 15 + 15 = 55).
NEGLECTED = QUIET_VACANT | {
    "vegetation": "path_blocked", "structure": "minor", "roof": "partial", "walls_fences": "cracked",
    "trees_over_boundary": True,
}
# Falling apart beside the road: 高, A (decay capped at 100, + 50 + 15).
DANGEROUS = NEGLECTED | {
    "window_glass": "open_to_weather", "rubbish": "scattered", "structure": "major", "exterior_wall": "holed",
    "roof": "marked", "walls_fences": "leaning", "falling_risk": True, "streetscape": True,
}
SURVEY_CONDITIONS = {
    "occupied": OCCUPIED, "managed": MANAGED, "quiet_vacant": QUIET_VACANT, "for_sale": FOR_SALE,
    "neglected": NEGLECTED, "dangerous": DANGEROUS, "dangerous_school_route": DANGEROUS | {"school_route": True},
}

# municipal_survey v2 (the statutory form, 別表第1) --------------------------------------
# The same named conditions as the town's surveys since it changed to the v2 form. From the road a
# carrier cannot see the column size, floor and ceiling heights or the main room's opening: unseen, so
# the statutory score is a range.
OCCUPIED_V2 = {
    "nameplate": "present", "mailbox": "clear", "for_sale_sign": False, "manager_contact": False,
    "curtains": "lived_in", "electric_meter": "running", "gas_meter": "in_use", "lpg": "none",
    "vegetation": "kept", "window_glass": "intact", "vehicle": "in_use", "entrance_barred": False,
    "current_state": "occupied", "structure_type": "wooden",
    "s1_foundation": "sound", "s1_column": "unseen", "s1_wall": "no", "s1_floor_height": "unseen",
    "s1_ceiling": "unseen", "s1_opening": "unseen", "s2_floor": "unseen", "s2_frame": "none", "s2_wall": "none",
    "s2_roof": "none", "s3_wall": "none", "s3_roof": "no", "s4_rainwater": "no",
    "tilt": "none", "falling_risk": False, "retaining_wall": "none", "gate_fence": "none",
    "stairs_balcony": "none", "signs_units": "none", "snow": "not_applicable", "sediment": "none",
    "trees": "none", "rubbish": "none", "sewage_odor": "none", "pests": "none", "streetscape": False,
    "school_route": False,
}
MANAGED_V2 = OCCUPIED_V2 | {"curtains": "closed", "gas_meter": "closed", "vehicle": "none", "manager_contact": True,
                            "current_state": "vacant_mid"}
QUIET_VACANT_V2 = OCCUPIED_V2 | {
    "nameplate": "absent", "mailbox": "piling", "curtains": "closed", "electric_meter": "stopped",
    "gas_meter": "closed", "vegetation": "overgrown", "vehicle": "none", "s2_wall": "exposed",
    "current_state": "vacant_high",
}
FOR_SALE_V2 = OCCUPIED_V2 | {
    "nameplate": "absent", "for_sale_sign": True, "curtains": "bare", "electric_meter": "stopped",
    "gas_meter": "closed", "vehicle": "none", "current_state": "vacant_high",
}
# Roofing slipped, no leak to be seen from the road: 2(四)イ counts 0 in the minimum and 15 in the maximum.
NEGLECTED_V2 = QUIET_VACANT_V2 | {
    "vegetation": "path_blocked", "s2_frame": "minor", "s2_roof": "partial", "gate_fence": "cracked",
    "trees": "over_boundary",
}
# 評定区分2 reaches its cap (50 + 25 + 25 = 100): 不良住宅, with a fall onto the road 至急.
DANGEROUS_V2 = NEGLECTED_V2 | {
    "window_glass": "open_to_weather", "rubbish": "scattered", "s2_frame": "major", "s2_wall": "holed",
    "s2_roof": "marked", "gate_fence": "leaning", "falling_risk": True, "streetscape": True,
}
SURVEY_CONDITIONS_V2 = {
    "occupied": OCCUPIED_V2, "managed": MANAGED_V2, "quiet_vacant": QUIET_VACANT_V2, "for_sale": FOR_SALE_V2,
    "neglected": NEGLECTED_V2, "dangerous": DANGEROUS_V2,
    "dangerous_school_route": DANGEROUS_V2 | {"school_route": True},
}

# municipal_survey v3 (v2 plus 敷地と接道, for the 利活用判定) ---------------------------------
# A v3 visit answers a v2 condition above and one of these. The 利活用 class follows from both and the ledger's
# 建築年月日 (town.py): a narrow road or steps alone make a sound house 「修繕により活用可能」, an unknown road
# 「判定不能」.
SITE_WIDE = {"road_access": "wide", "slope": "flat", "access_path": "car"}
SITE_SLOPED = {"road_access": "wide", "slope": "sloped", "access_path": "car"}
SITE_NARROW = {"road_access": "narrow", "slope": "flat", "access_path": "car"}
SITE_STEPS = {"road_access": "narrow", "slope": "sloped", "access_path": "walk_only"}
SITE_PRIVATE_WAY = {"road_access": "none_or_unknown", "slope": "flat", "access_path": "car"}
SITE_UNKNOWN = {"road_access": "none_or_unknown", "slope": "unseen", "access_path": "unseen"}

# watch_basic v2 -----------------------------------------------------------------------
WATCH_ALL_NORMAL = {
    "exterior": "normal", "entrance_lock": "locked", "entrance_area": "normal", "garden": "normal",
    "encroachment": "none", "dumping": "none", "mailbox": "some", "litter_picked": False,
}
# What a carrier records for each option the owner pays for, on an ordinary visit.
WATCH_OPTION_ANSWERS = {
    "airing": {"airing_done": True, "airing_rooms": 4, "airing_minutes": 30, "water_state": "normal",
               "indoor_findings": [], "lock_on_exit": "locked", "key_received_at": "09:05", "key_returned_at": "11:20"},
    "mail_tidy": {"mail_moved_inside": 5},
    "mail_forward": {"mail_forwarded": 2},
    "disaster": {},
}

# post_disaster v2 ---------------------------------------------------------------------
AFTER_RAIN_UNHARMED = {
    "event_type": "heavy_rain", "sticker": "none", "collapse": "none", "tilt": "none", "foundation": "none",
    "roof": "none", "falling_risk": [], "other_damage": [], "ground": "none", "flood": "none", "hazards": [],
    "referred_to_assessment": False,
    "owner_message": "大きな被害は見当たりません。敷地内に落ち葉・小枝が散乱しています。",
}
AFTER_RAIN_FLOODED = AFTER_RAIN_UNHARMED | {
    "other_damage": ["gutter_antenna_hanging"], "flood": "below_floor", "flood_above_ground": 20,
    "referred_to_assessment": True,
    "owner_message": "道路側の基礎に地面から約20cmの浸水の跡があります。雨どいが一部外れています。",
    "comment": "所有者へ電話で状況を伝えたい（局内確認）。",
}
