"""The vocabulary of commune facts: what a commune fact file may say, typed and documented.

The criteria are data (``criteria/*.yaml``); the facts they read are this schema. Each leaf field
carries its kind (count, percent, number, boolean, choice), its unit and its Vietnamese and English
labels, so that loaders, gap messages, templates and the planner all read one definition.

Validation is strict: no numeric strings, no booleans for counts, percentages within 0–100, counts
non-negative, numbers finite (no ``.inf`` or ``.nan``) and no count or amount above
:data:`MAX_FIGURE`. Every fact is optional: an absent fact makes the indicators that read it *missing*.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

FactKind = Literal["count", "percent", "number", "boolean", "choice"]


def fact(
    kind: FactKind,
    vi: str,
    en: str,
    unit_vi: str = "",
    unit_en: str = "",
    *,
    immutable: bool = False,
    **constraints: Any,
) -> Any:
    """Declare one fact field with its kind, labels and unit (kept in the JSON schema extras)."""
    bounds: dict[str, Any] = {}
    if kind in ("count", "number"):
        bounds["ge"] = 0
    if kind == "percent":
        bounds.update(ge=0, le=100)
    bounds.update(constraints)
    return Field(
        default=None,
        description=en,
        json_schema_extra={
            "kind": kind,
            "label_vi": vi,
            "label_en": en,
            "unit_vi": unit_vi or ("%" if kind == "percent" else ""),
            "unit_en": unit_en or ("%" if kind == "percent" else ""),
            "immutable": immutable,
        },
        **bounds,
    )


# No count or amount of one commune comes near a billion (the most populous commune-level units have
# about 200,000 people): a larger figure is a typing error, and would not fit the rules engine's
# integers exactly.
MAX_FIGURE = 1_000_000_000


def _figure(value: float) -> float:
    if value > MAX_FIGURE:
        raise PydanticCustomError(
            "figure_too_large", "is larger than any commune figure can be (at most 1,000,000,000)"
        )
    return value


Count = Annotated[int, Field(strict=True), AfterValidator(_figure)]
Number = Annotated[float, Field(strict=True, allow_inf_nan=False), AfterValidator(_figure)]
Percent = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Identity(_Strict):
    """Who and where the commune is (zone and area assigned by the DoH; ``region`` usually given by the
    province; ``geography``, ``difficult_terrain`` and the distance are what the zoning rule reads)."""

    code: str = Field(min_length=1, description="Administrative code (mã đơn vị hành chính)")
    name: str = Field(min_length=1, description="Official name")
    province: str = Field(min_length=1)
    district: str | None = Field(default=None, description="District, where there still is one")
    zone: Literal[1, 2, 3] = Field(description="Zone (vùng) 1, 2 or 3 assigned by the DoH")
    area: Literal["urban", "rural"] = Field(description="urban (phường, thị trấn) or rural (xã)")
    region: str | None = Field(
        default=None,
        description="Socio-economic region code; by default the province's (criteria/regions/regions.yaml)",
    )
    geography: Literal["highland", "lowland"] | None = fact(
        "choice", "Địa bàn miền núi hay đồng bằng", "Highland or lowland commune", immutable=True
    )
    difficult_terrain: bool | None = fact(
        "boolean", "Địa hình đặc biệt khó khăn", "Especially difficult terrain", immutable=True
    )
    population: Count | None = fact("count", "Dân số", "Population", "người", "people", immutable=True)
    villages: Count | None = fact("count", "Số thôn, bản", "Villages", "thôn", "villages", immutable=True)
    successor_of: tuple[str, ...] = Field(
        default=(),
        strict=False,  # a YAML list becomes a tuple; the items must still be strings
        description="Codes of the communes merged into this one (2025 reform)",
    )


class Staffing(_Strict):
    doctors: Count | None = fact(
        "count", "Bác sĩ làm việc tại trạm", "Doctors working at the station", "bác sĩ", "doctor(s)"
    )
    midwives_or_ob_assistants: Count | None = fact(
        "count",
        "Y sĩ sản nhi hoặc nữ hộ sinh",
        "Obstetric-paediatric assistant doctors or midwives",
        "người",
        "person(s)",
    )
    traditional_medicine_workers: Count | None = fact(
        "count", "Cán bộ y học cổ truyền", "Traditional-medicine (YHCT) workers", "người", "person(s)"
    )
    total_staff: Count | None = fact(
        "count", "Tổng số nhân lực của trạm", "Total station staff", "người", "person(s)"
    )
    villages_with_health_worker_pct: Percent | None = fact(
        "percent",
        "Tỷ lệ thôn, bản có nhân viên y tế hoạt động",
        "Villages with an active village health worker",
    )
    staff_trained_in_year_pct: Percent | None = fact(
        "percent", "Tỷ lệ cán bộ được đào tạo, tập huấn trong năm", "Staff trained during the year"
    )


class MedicinalGarden(_Strict):
    has_garden: bool | None = fact("boolean", "Có vườn thuốc nam mẫu", "Has a model medicinal garden")
    species: Count | None = fact("count", "Số loài cây thuốc", "Medicinal plant species", "loài", "species")
    area_m2: Number | None = fact("number", "Diện tích vườn", "Garden area", "m²", "m²")
    labelled: bool | None = fact(
        "boolean", "Cây thuốc có biển tên, xếp theo nhóm bệnh", "Plants labelled and grouped by use"
    )


class Facilities(_Strict):
    station_condition: Literal["good", "degraded", "needs_rebuild"] | None = fact(
        "choice", "Tình trạng nhà trạm", "Condition of the station building"
    )
    functional_rooms: Count | None = fact(
        "count", "Số phòng chức năng", "Functional rooms", "phòng", "room(s)"
    )
    has_clean_water: bool | None = fact("boolean", "Có nước sạch", "Has clean water")
    has_sanitary_latrine: bool | None = fact("boolean", "Có nhà tiêu hợp vệ sinh", "Has a sanitary latrine")
    has_electricity: bool | None = fact("boolean", "Có điện lưới", "Has mains electricity")
    medical_waste_managed: bool | None = fact(
        "boolean",
        "Chất thải y tế được phân loại, xử lý đúng quy định",
        "Medical waste sorted and treated to regulation",
    )
    distance_to_hospital_km: Number | None = fact(
        "number",
        "Khoảng cách tới bệnh viện gần nhất",
        "Distance to the nearest hospital",
        "km",
        "km",
        immutable=True,
    )


class Equipment(_Strict):
    essential_equipment_pct: Percent | None = fact(
        "percent",
        "Tỷ lệ trang thiết bị thiết yếu theo danh mục",
        "Essential equipment on the ministry's list present",
    )
    essential_medicines_pct: Percent | None = fact(
        "percent", "Tỷ lệ thuốc thiết yếu theo danh mục", "Essential medicines on the list in stock"
    )
    has_emergency_transport: bool | None = fact(
        "boolean", "Có phương tiện vận chuyển cấp cứu", "Has emergency transport"
    )
    has_computer_and_internet: bool | None = fact(
        "boolean", "Có máy tính kết nối Internet", "Has a computer connected to the Internet"
    )


class Services(_Strict):
    year: int | None = Field(default=None, ge=1990, le=2100, description="Year the figures refer to")
    emergency_24h: bool | None = fact("boolean", "Trực cấp cứu 24/24", "24/24 emergency duty")
    full_immunisation_under1_pct: Percent | None = fact(
        "percent", "Tỷ lệ trẻ dưới 1 tuổi tiêm chủng đầy đủ", "Children under 1 fully immunised"
    )
    bhyt_coverage_pct: Percent | None = fact(
        "percent", "Tỷ lệ người dân tham gia bảo hiểm y tế", "Health-insurance (BHYT) coverage"
    )
    bhyt_visits_at_station_pct: Percent | None = fact(
        "percent", "Tỷ lệ lượt khám BHYT tại trạm", "Share of BHYT visits made at the station"
    )
    antenatal_4visits_pct: Percent | None = fact(
        "percent",
        "Tỷ lệ phụ nữ đẻ được khám thai ≥ 4 lần trong 3 thời kỳ",
        "Women giving birth with ≥ 4 antenatal visits over 3 trimesters",
    )
    facility_births_pct: Percent | None = fact(
        "percent", "Tỷ lệ phụ nữ đẻ tại cơ sở y tế", "Births at a health facility"
    )
    skilled_birth_attendance_pct: Percent | None = fact(
        "percent", "Tỷ lệ đẻ có cán bộ y tế đỡ", "Births attended by skilled health staff"
    )
    postnatal_first_week_pct: Percent | None = fact(
        "percent",
        "Tỷ lệ bà mẹ, trẻ sơ sinh được chăm sóc tuần đầu sau sinh",
        "Mothers and newborns cared for in the first week after birth",
    )
    underweight_under5_pct: Percent | None = fact(
        "percent",
        "Tỷ lệ trẻ dưới 5 tuổi suy dinh dưỡng thể nhẹ cân",
        "Children under 5 underweight",
    )
    stunting_under5_pct: Percent | None = fact(
        "percent", "Tỷ lệ trẻ dưới 5 tuổi suy dinh dưỡng thể thấp còi", "Children under 5 stunted"
    )
    hypertension_managed_pct: Percent | None = fact(
        "percent",
        "Tỷ lệ người tăng huyết áp được phát hiện và quản lý",
        "People with hypertension detected and managed",
    )
    diabetes_managed_pct: Percent | None = fact(
        "percent",
        "Tỷ lệ người đái tháo đường được phát hiện và quản lý",
        "People with diabetes detected and managed",
    )
    ncd_managed_at_station: bool | None = fact(
        "boolean",
        "Trạm triển khai quản lý bệnh không lây nhiễm",
        "Station manages non-communicable diseases",
    )
    mental_health_managed_pct: Percent | None = fact(
        "percent",
        "Tỷ lệ người bệnh tâm thần phân liệt, động kinh được quản lý",
        "People with schizophrenia or epilepsy under management",
    )
    tb_detection_pct: Percent | None = fact(
        "percent", "Tỷ lệ phát hiện bệnh lao so với kế hoạch", "TB cases detected against plan"
    )
    elderly_health_records_pct: Percent | None = fact(
        "percent",
        "Tỷ lệ người cao tuổi có hồ sơ theo dõi sức khỏe",
        "Elderly people with a health-monitoring record",
    )
    electronic_health_book_pct: Percent | None = fact(
        "percent", "Tỷ lệ người dân có sổ sức khỏe điện tử", "Residents with an electronic health book"
    )
    annual_health_check_pct: Percent | None = fact(
        "percent",
        "Tỷ lệ người dân được khám sức khỏe định kỳ trong năm",
        "Residents given a health check during the year",
    )
    yhct_treatment_pct: Percent | None = fact(
        "percent",
        "Tỷ lệ khám, chữa bệnh bằng y học cổ truyền",
        "Visits treated with traditional medicine",
    )
    rehabilitation_managed_pct: Percent | None = fact(
        "percent",
        "Tỷ lệ người khuyết tật được phục hồi chức năng tại cộng đồng",
        "People with disabilities given community-based rehabilitation",
    )
    contraceptive_prevalence_pct: Percent | None = fact(
        "percent", "Tỷ lệ sử dụng biện pháp tránh thai hiện đại", "Modern contraceptive prevalence"
    )
    prenatal_screening_pct: Percent | None = fact(
        "percent", "Tỷ lệ phụ nữ mang thai được sàng lọc trước sinh", "Pregnant women screened"
    )
    newborn_screening_pct: Percent | None = fact(
        "percent", "Tỷ lệ trẻ sơ sinh được sàng lọc", "Newborns screened"
    )
    sex_ratio_at_birth: Number | None = fact(
        "number",
        "Tỷ số giới tính khi sinh",
        "Sex ratio at birth",
        "bé trai/100 bé gái",
        "boys per 100 girls",
    )
    food_poisoning_outbreaks: Count | None = fact(
        "count",
        "Số vụ ngộ độc thực phẩm trong năm",
        "Food-poisoning outbreaks in the year",
        "vụ",
        "outbreak(s)",
    )
    outbreaks_controlled: bool | None = fact(
        "boolean",
        "Dịch bệnh được phát hiện sớm và khống chế kịp thời",
        "Epidemics detected early and contained",
    )
    hiv_programme_active: bool | None = fact(
        "boolean",
        "Triển khai phòng, chống HIV/AIDS theo kế hoạch",
        "HIV/AIDS prevention carried out as planned",
    )
    households_clean_water_pct: Percent | None = fact(
        "percent", "Tỷ lệ hộ gia đình sử dụng nước hợp vệ sinh", "Households using hygienic water"
    )
    households_sanitary_latrine_pct: Percent | None = fact(
        "percent", "Tỷ lệ hộ gia đình có nhà tiêu hợp vệ sinh", "Households with a sanitary latrine"
    )
    food_businesses_compliant_pct: Percent | None = fact(
        "percent", "Tỷ lệ cơ sở thực phẩm đạt điều kiện an toàn", "Food businesses meeting safety rules"
    )
    communication_sessions: Count | None = fact(
        "count",
        "Số buổi truyền thông giáo dục sức khỏe trong năm",
        "Health-education sessions held in the year",
        "buổi",
        "session(s)",
    )
    loudspeaker_broadcasts_per_month: Count | None = fact(
        "count",
        "Số lần phát thanh về sức khỏe mỗi tháng",
        "Health broadcasts per month",
        "lần",
        "broadcast(s)",
    )


class Management(_Strict):
    steering_committee_active: bool | None = fact(
        "boolean",
        "Có Ban chỉ đạo chăm sóc sức khỏe nhân dân hoạt động thường xuyên",
        "A steering committee for people's health care works regularly",
    )
    health_in_resolution_or_plan: bool | None = fact(
        "boolean",
        "Công tác y tế được đưa vào nghị quyết hoặc kế hoạch phát triển KT-XH hằng năm",
        "Health work written into the Party resolution or the annual socio-economic plan",
    )
    annual_health_plan: bool | None = fact(
        "boolean", "Có kế hoạch y tế hằng năm được phê duyệt", "An approved annual health plan"
    )
    commune_health_budget: bool | None = fact(
        "boolean", "Ngân sách xã chi cho y tế", "The commune budget funds health work"
    )
    mass_organisations_engaged: bool | None = fact(
        "boolean", "Các đoàn thể tham gia công tác y tế", "Mass organisations take part in health work"
    )
    reports_on_time: bool | None = fact(
        "boolean", "Báo cáo thống kê đầy đủ, đúng hạn", "Statistical reports complete and on time"
    )
    health_information_software: bool | None = fact(
        "boolean", "Sử dụng phần mềm quản lý thông tin y tế", "Uses health-information software"
    )
    electronic_medical_records: bool | None = fact(
        "boolean", "Triển khai hồ sơ bệnh án điện tử", "Uses electronic medical records"
    )
    bhyt_electronic_claims: bool | None = fact(
        "boolean", "Liên thông dữ liệu khám chữa bệnh BHYT", "Sends BHYT claims electronically"
    )


class CommuneFacts(_Strict):
    """One commune's facts for one assessment year: the content of one fact file."""

    schema_version: Literal[1] = 1
    illustrative: bool = Field(default=False, description="True for sample data: the figures are not real")
    note: str | None = None
    year: int = Field(ge=1990, le=2100, description="Assessment year")
    commune: Identity
    staffing: Staffing = Staffing()
    medicinal_garden: MedicinalGarden = MedicinalGarden()
    facilities: Facilities = Facilities()
    equipment: Equipment = Equipment()
    services: Services = Services()
    management: Management = Management()

    def get(self, path: str) -> Any:
        """The value of a fact by dotted path (``staffing.doctors``), or None when absent."""
        obj: Any = self
        for part in path.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                return None
        return obj


SECTIONS: dict[str, type[_Strict]] = {
    "commune": Identity,
    "staffing": Staffing,
    "medicinal_garden": MedicinalGarden,
    "facilities": Facilities,
    "equipment": Equipment,
    "services": Services,
    "management": Management,
}
