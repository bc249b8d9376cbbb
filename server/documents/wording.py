"""Plain words for owners: what a raised flag means for them and what they may do."""

from __future__ import annotations

import reports.model as m

OWNER_ACTIONS = {
    "intrusion_suspected": m.OwnerAction(
        title="侵入された可能性があります",
        detail="玄関や窓に開いている所・こじ開けた跡がありました。屋内には入っていません。"
               "ご自身で確認できない場合は、郵便局または警察にご相談ください。"),
    "encroachment": m.OwnerAction(
        title="隣の土地へはみ出している物があります",
        detail="庭木の枝などが隣家や道路へ出ています。剪定（せんてい）をご検討ください。"
               "2023年の空家法改正で、管理されていない空き家は固定資産税の軽減がなくなることがあります。"),
    "dumping": m.OwnerAction(
        title="ごみが捨てられていました",
        detail="敷地内に不法投棄とみられるごみがあります。片付けの手配と、続く場合は市町村・警察へのご相談をおすすめします。"),
    "owner_contact": m.OwnerAction(
        title="ご確認いただきたい点があります",
        detail="報告書の「要確認」「異常あり」の項目と写真をご覧ください。ご不明な点は下記の郵便局へお問い合わせください。"),
}


def disaster_next_steps(municipality: str, hazards: bool, flooded: bool) -> list[str]:
    steps = [f"これは道路から見た記録で、被害の程度の判定ではありません。罹災証明書（被害認定）が必要な場合は{municipality}へ申請してください。"]
    if hazards:
        steps.append("危険な状態（ガス臭・電線・倒壊のおそれなど）があり、関係先へ通報しました。近づかず、専門業者による点検をご依頼ください。")
    if flooded:
        steps.append("浸水の跡がありました。床下の乾燥・消毒や、電気設備の点検をおすすめします。")
    steps.append("片付けや修理の前に、被害の様子を写真に残しておくと、保険や支援の申請に役立ちます。")
    return steps
