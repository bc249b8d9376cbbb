"""The back office at /office/: pages for the post-office clerk, the municipal officer and the owner."""


def office_routes() -> list:
    """Every page handler and the pages' static files."""
    from litestar.static_files import create_static_files_router

    from server.office.alert_pages import AlertPages
    from server.office.answer_pages import AnswerPages
    from server.office.auth_pages import OfficeAuthController
    from server.office.contract_pages import ContractPages
    from server.office.disaster_pages import DisasterPages
    from server.office.home_pages import HomeController
    from server.office.menu_pages import MenuPages
    from server.office.link_pages import SignInLinkPages
    from server.office.message_pages import MessagePages
    from server.office.owner_data_pages import OwnerDataPages
    from server.office.owner_letter_pages import OwnerLetterPages
    from server.office.owner_pages import OwnerPages
    from server.office.pages import STATIC_DIR
    from server.office.property_pages import PhotoPages, PropertyPages
    from server.office.survey_candidate_pages import SurveyCandidatePages
    from server.office.request_pages import RequestPages
    from server.office.task_pages import TaskPages
    from server.office.watch_pages import WatchPages

    return [OfficeAuthController, HomeController, PropertyPages, PhotoPages, WatchPages, ContractPages, TaskPages,
            DisasterPages, OwnerPages, AlertPages, SurveyCandidatePages, MenuPages, SignInLinkPages, MessagePages,
            RequestPages, AnswerPages, OwnerLetterPages, OwnerDataPages,
            create_static_files_router(path="/office/static", directories=[STATIC_DIR], include_in_schema=False,
                                       name="office_static")]
