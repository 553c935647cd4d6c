//! The actors of the system (DOMAIN.md "Actors"), carried in the JWT `roles` claim.

crate::labelled_enum! {
    /// A role a caller may hold. Art. 3 makes HRSS run the system day to day; Art. 4.1 and 11
    /// give departments nomination and requests; Art. 4.4, 12, 13, 14 and 16 reserve decisions
    /// to the city government; Art. 14 gives the Finance Bureau the review of controlled spending.
    pub enum Role("role") {
        Hrss = ("hrss", "Human Resources and Social Security Bureau", "市人力资源和社会保障局"),
        Department = ("department", "Line department / field lead", "市直委办局（领域牵头部门）"),
        Government = ("government", "City government (executive meeting)", "市政府（常务会议）"),
        Finance = ("finance", "Finance Bureau", "市财政局"),
        Advisor = ("advisor", "Advisor", "顾问"),
        Integration = ("integration", "Integrated government system", "对接系统"),
        Auditor = ("auditor", "Auditor / discipline inspection", "审计与纪检"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Labelled;

    #[test]
    fn every_role_round_trips_through_its_code() {
        for r in Role::all() {
            assert_eq!(Role::from_code(r.code()), Some(*r));
            assert_eq!(r.code().parse::<Role>(), Ok(*r));
        }
        assert!("mayor".parse::<Role>().is_err());
    }
}
