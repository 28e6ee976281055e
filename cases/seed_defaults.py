"""The office's shared 常用查询 and the school-wide 常用语 a first run starts with
(issue 14): seeded by migration 0021 and by the tests' `reseeded` fixture; both are
edited in the admin afterwards. Takes the models as arguments, so that the migration can
pass its historical ones."""

SHARED = [
    ("待受理", "state=registered"),
    ("当前超期", "deadline=overdue"),
    ("3个工作日内到期", "deadline=due_soon"),
    ("重大、紧急事项", "flags=is_major"),
]
PHRASES = [
    ("reason", "属于学院职责范围，予以受理。"),
    ("reason", "所反映事项不属于学院职责范围，已告知信访人向有权机关提出。"),
    ("reason", "情况属实，建议同意。"),
    ("proposal", "拟请主办部门牵头调查处理，按期答复信访人。"),
    ("proposal", "拟请主办部门会同协办部门调查核实，形成处理意见后报送。"),
    ("instruction", "同意拟办意见。"),
    ("instruction", "同意拟办意见，请认真核实，依规处理，及时答复信访人。"),
    ("reply", "经调查核实，信访人反映的情况基本属实。"),
    ("reply", "已向信访人说明情况，信访人表示认可。"),
]


def seed_defaults(SavedSearch, Phrase) -> None:
    for name, query in SHARED:
        if not SavedSearch.objects.filter(owner=None, name=name).exists():
            SavedSearch.objects.create(owner=None, name=name, query=query, shared=True)
    for order, (use, text) in enumerate(PHRASES):
        Phrase.objects.get_or_create(use=use, text=text, owner=None, unit=None, defaults={"order": order})
