// The tables of the domain, written for both backends with portable SQL types only.
// Keep in step with `migrations/sqlite` and `migrations/postgres`.

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
        pending_since -> Nullable<Timestamp>,
        totp_secret -> Nullable<Text>,
        totp_enabled_at -> Nullable<Timestamp>,
        totp_last_step -> Nullable<BigInt>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        token_hash -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        label -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    organizations (id) {
        id -> Text,
        name -> Text,
        name_key -> Text,
        display_name -> Text,
        country -> Nullable<Text>,
        website -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    organization_contacts (id) {
        id -> Text,
        organization_id -> Text,
        email -> Text,
        name -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    organization_tags (organization_id, tag_key) {
        organization_id -> Text,
        tag -> Text,
        tag_key -> Text,
    }
}

diesel::table! {
    letters (id) {
        id -> Text,
        slug -> Text,
        title -> Text,
        addressee -> Text,
        status -> Text,
        current_version -> Integer,
        deadline_at -> Nullable<Timestamp>,
        deadline_tz -> Nullable<Text>,
        show_signatories -> Bool,
        show_signers -> Bool,
        allow_late_signatures -> Bool,
        release_at -> Nullable<Timestamp>,
        release_tz -> Nullable<Text>,
        released_at -> Nullable<Timestamp>,
        archived_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        reminder_days -> Text,
        release_scheduled_by -> Nullable<Text>,
        answers_frozen -> Bool,
        withdrawals_seen_at -> Nullable<Timestamp>,
        open_sign_on -> Bool,
        accept_individuals -> Bool,
        individuals_heading -> Nullable<Text>,
        language -> Text,
    }
}

diesel::table! {
    letter_versions (id) {
        id -> Text,
        letter_id -> Text,
        version -> Integer,
        title -> Text,
        addressee -> Text,
        body_markdown -> Text,
        content_sha256 -> Text,
        change_kind -> Text,
        note -> Nullable<Text>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    invitations (id) {
        id -> Text,
        letter_id -> Text,
        organization_id -> Text,
        contact_email -> Text,
        contact_name -> Nullable<Text>,
        display_name -> Text,
        country -> Nullable<Text>,
        tier -> Text,
        status -> Text,
        token_nonce -> Text,
        token_hash -> Text,
        approved_version -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        opened_at -> Nullable<Timestamp>,
        responded_at -> Nullable<Timestamp>,
        last_activity_at -> Timestamp,
        language -> Nullable<Text>,
    }
}

diesel::table! {
    responses (id) {
        id -> Text,
        invitation_id -> Text,
        letter_id -> Text,
        decision -> Text,
        version -> Integer,
        content_sha256 -> Text,
        signer_name -> Text,
        signer_title -> Text,
        organization_display_name -> Text,
        comment -> Nullable<Text>,
        submission_key -> Nullable<Text>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        created_at -> Timestamp,
        channel -> Text,
        evidence -> Nullable<Text>,
        recorded_by -> Nullable<Text>,
        language -> Nullable<Text>,
        translation_version -> Nullable<Integer>,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        kind -> Text,
        letter_id -> Nullable<Text>,
        invitation_id -> Nullable<Text>,
        recipient -> Text,
        payload -> Text,
        message_id -> Text,
        dedupe_key -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        run_after -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        locked_by -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        letter_id -> Nullable<Text>,
        invitation_id -> Nullable<Text>,
        actor_user_id -> Nullable<Text>,
        actor -> Text,
        action -> Text,
        detail -> Text,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    releases (id) {
        id -> Text,
        letter_id -> Text,
        revision -> Integer,
        version -> Integer,
        title -> Text,
        addressee -> Text,
        body_html -> Text,
        content_sha256 -> Text,
        signatories -> Text,
        manifest -> Text,
        manifest_sha256 -> Text,
        signature -> Text,
        change_note -> Nullable<Text>,
        created_by -> Nullable<Text>,
        released_at -> Timestamp,
        individuals -> Text,
    }
}

diesel::table! {
    sign_on_requests (id) {
        id -> Text,
        letter_id -> Text,
        kind -> Text,
        status -> Text,
        name -> Text,
        dedupe_key -> Text,
        country -> Nullable<Text>,
        website -> Nullable<Text>,
        contact_name -> Nullable<Text>,
        title -> Nullable<Text>,
        affiliation -> Nullable<Text>,
        email -> Text,
        note -> Nullable<Text>,
        read_version -> Integer,
        confirm_token_hash -> Text,
        confirmed_at -> Nullable<Timestamp>,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<Text>,
        reason -> Nullable<Text>,
        organization_id -> Nullable<Text>,
        invitation_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(organization_contacts -> organizations (organization_id));
diesel::joinable!(organization_tags -> organizations (organization_id));
diesel::joinable!(letters -> users (created_by));
diesel::joinable!(letter_versions -> letters (letter_id));
diesel::joinable!(letter_translations -> letters (letter_id));
diesel::joinable!(letter_versions -> users (created_by));
diesel::joinable!(invitations -> letters (letter_id));
diesel::joinable!(invitations -> organizations (organization_id));
diesel::joinable!(responses -> invitations (invitation_id));
diesel::joinable!(responses -> letters (letter_id));
diesel::table! {
    webhooks (id) {
        id -> Text,
        letter_id -> Nullable<Text>,
        url -> Text,
        events -> Text,
        secret_nonce -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(webhooks -> letters (letter_id));
diesel::joinable!(outbox -> letters (letter_id));
diesel::joinable!(outbox -> invitations (invitation_id));
diesel::joinable!(releases -> letters (letter_id));
diesel::joinable!(releases -> users (created_by));
diesel::joinable!(sign_on_requests -> letters (letter_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    api_tokens,
    organizations,
    organization_contacts,
    organization_tags,
    letters,
    letter_versions,
    letter_translations,
    invitations,
    responses,
    outbox,
    webhooks,
    audit_events,
    releases,
    sign_on_requests,
);

diesel::table! {
    letter_translations (id) {
        id -> Text,
        letter_id -> Text,
        language -> Text,
        version -> Integer,
        title -> Text,
        addressee -> Text,
        body_markdown -> Text,
        content_sha256 -> Text,
        matches_version -> Integer,
        offered -> Bool,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    setup_tokens (id) {
        id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    rate_limit_counters (key) {
        key -> Text,
        failures -> Integer,
        window_ends_at -> Timestamp,
    }
}

diesel::table! {
    coordinating_organization (id) {
        id -> Integer,
        name -> Nullable<Text>,
        website -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        logo_png -> Nullable<Binary>,
        logo_sha256 -> Nullable<Text>,
        updated_at -> Timestamp,
        updated_by -> Nullable<Text>,
    }
}

diesel::table! {
    notification_preferences (user_id) {
        user_id -> Text,
        lead_declined -> Bool,
        withdrawn_after_release -> Bool,
        release_outcome -> Bool,
        bounced -> Bool,
        daily_digest -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    account_links (id) {
        id -> Text,
        user_id -> Text,
        purpose -> Text,
        nonce -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    recovery_codes (id) {
        id -> Text,
        user_id -> Text,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_challenges (id) {
        id -> Text,
        token_hash -> Text,
        user_id -> Text,
        purpose -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::joinable!(account_links -> users (user_id));
diesel::joinable!(recovery_codes -> users (user_id));
diesel::joinable!(login_challenges -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    users,
    account_links,
    recovery_codes,
    login_challenges
);
