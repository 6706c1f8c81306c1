//! The registry's ids, one type per kind of entity.

use crate::vocab::ids;

ids! {
    /// A managing organisation.
    OrgId;
    /// A house.
    HouseId;
    /// A flat or non-residential premises.
    PremisesId;
    /// A lift.
    LiftId;
    /// A person.
    PersonId;
    /// A community: a house chat or a microdistrict channel.
    CommunityId;
    /// A person's membership of a community.
    MembershipId;
    /// A person's ownership or tenancy of a premises.
    OwnershipId;
    /// A chat message.
    MessageId;
    /// A person's reaction to a message.
    ReactionId;
    /// A ticket.
    TicketId;
    /// A comment on a ticket.
    TicketCommentId;
    /// A metering device.
    DeviceId;
    /// A meter reading.
    ReadingId;
    /// A personal account.
    AccountId;
    /// A unified payment document.
    BillId;
    /// An entry of a community's moderation log.
    ModEntryId;
    /// A member's complaint about a message.
    ReportId;
    /// An application for a community's admin rights.
    ApplicationId;
    /// A poll in a chat.
    PollId;
    /// A notice.
    NoticeId;
    /// An item of the capital-repair plan.
    RepairPlanId;
}
