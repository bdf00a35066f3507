"""Human sentences for every reason code, in English, Russian and Kazakh.

Templates take named parameters (`{article}`, `{date}` ...) filled from the reason's `params`: a
`Reason` keeps its parameters as values (ISO dates, plain numbers, `word(...)` vocabulary, terms), and
`render` spells them out for the reader's language (Babel dates and numbers, see `amnesty.render`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache

from amnesty.domain.enums import Category
from amnesty.domain.regions import region_name
from amnesty.engine.codes import ReasonCode as C
from amnesty.law.loader import Law
from amnesty.render.citations import article_number
from amnesty.render.formats import (
    format_country,
    format_date,
    format_number,
    format_period,
    format_term,
    language_of,
)

LANGUAGES = ("en", "ru", "kk")

MESSAGES: dict[C, dict[str, str]] = {
    C.IN_SCOPE: {
        "en": "Art. {article_ref} falls within the amnesty: committed on {date} in Kazakhstan, {context_en}, under an article listed in Article 1 ({provenance}).",
        "ru": "Ст. {article_ref} подпадает под амнистию: совершено {date} на территории Казахстана, {context_ru}, по статье из перечня статьи 1 ({provenance}).",
        "kk": "{article_ref}-бап рақымшылыққа жатады: әрекет Қазақстан аумағында, {context_kk}, 1-баптың тізбесіндегі бап бойынша жасалған, жасалған күні — {date} ({provenance}).",
    },
    C.OUT_OF_WINDOW: {
        "en": "Committed on {date}, outside the period of {law_window} that the law covers.",
        "ru": "Совершено {date}, вне периода {law_window}, на который распространяется закон.",
        "kk": "Жасалған күні — {date}, бұл заң қамтитын {law_window} кезеңінен тыс.",
    },
    C.OFFENCE_SPANS_WINDOW: {
        "en": "The offence lasted from {date} to {end_date}, across the limits of the period {law_window_compact}: whether the law covers it needs review.",
        "ru": "Деяние длилось с {date} по {end_date}, выходя за пределы периода {law_window_compact}: применимость закона требует проверки.",
        "kk": "Әрекет жалғасқан кезең ({date} – {end_date}) {law_window_compact} кезеңінің шегінен шығады: заңның қолданылуы тексеруді қажет етеді.",
    },
    C.OUTSIDE_TERRITORY: {
        "en": "Committed outside the territory of Kazakhstan ({territory}).",
        "ru": "Совершено вне территории Республики Казахстан ({territory}).",
        "kk": "Қазақстан Республикасының аумағынан тыс жасалған ({territory}).",
    },
    C.CONTEXT_UNRELATED: {
        "en": "Recorded as unrelated to the January 2022 events.",
        "ru": "Записано как не связанное с январскими событиями 2022 года.",
        "kk": "2022 жылғы қаңтар оқиғаларына қатысы жоқ деп жазылған.",
    },
    C.CONTEXT_UNKNOWN: {
        "en": "The record does not say whether the offence was connected with the riots or their suppression: needs review.",
        "ru": "В деле не указано, связано ли деяние с беспорядками или их подавлением: требуется проверка.",
        "kk": "Істе әрекеттің тәртіпсіздіктерге немесе оларды басуға байланысы көрсетілмеген: тексеру қажет.",
    },
    C.ARTICLE_NOT_LISTED: {
        "en": "Art. {article} is not in the list of Article 1 of the law.",
        "ru": "Ст. {article} не входит в перечень статьи 1 закона.",
        "kk": "{article}-бап заңның 1-бабының тізбесіне кірмейді.",
    },
    C.PART_NOT_LISTED: {
        "en": "Art. {article} is listed only in parts {parts}; part {part} is not.",
        "ru": "Ст. {article} включена в перечень только частями {parts}; часть {part} не включена.",
        "kk": "{article}-бап тізбеге тек {parts} бөліктерімен енгізілген; {part}-бөлік енгізілмеген.",
    },
    C.PART_UNKNOWN: {
        "en": "Art. {article} is listed only in parts {parts}, and the record does not give the part: needs review.",
        "ru": "Ст. {article} включена только частями {parts}, а часть в деле не указана: требуется проверка.",
        "kk": "{article}-бап тек {parts} бөліктерімен енгізілген, ал істе бөлік көрсетілмеген: тексеру қажет.",
    },
    C.ARTICLE_LIST_INCOMPLETE: {
        "en": "Art. {article} is above art. {known_through}, and the list after it was not available: needs review.",
        "ru": "Ст. {article} следует после ст. {known_through}, а продолжение перечня недоступно: требуется проверка.",
        "kk": "{article}-бап {known_through}-баптан кейін тұр, ал тізбенің жалғасы қолжетімсіз: тексеру қажет.",
    },
    C.LIST_ENTRY_INFERRED: {
        "en": "Art. {article} is taken as listed by inference, not read in the published list.",
        "ru": "Ст. {article} считается включённой в перечень по выводу, а не по опубликованному тексту.",
        "kk": "{article}-бап тізбеге жарияланған мәтін бойынша емес, тұжырым бойынша енгізілген деп саналады.",
    },
    C.LIST_ENTRY_UNVERIFIED: {
        "en": "Art. {article} is an unverified candidate for the list: the decision is provisional and a lawyer must check it.",
        "ru": "Ст. {article} — непроверенный кандидат в перечень: решение предварительное, его должен проверить юрист.",
        "kk": "{article}-бап — тізбеге тексерілмеген үміткер: шешім алдын ала, оны заңгер тексеруі тиіс.",
    },
    C.CATEGORY_FROM_CATALOGUE: {
        "en": "The record gives no category; by the sanction of art. {article_ref} in the Criminal Code (art. 10-11) it is a {category} ({provenance}).",
        "ru": "В деле не указана категория; по санкции ст. {article_ref} Уголовного кодекса (ст. 10-11) это {category} ({provenance}).",
        "kk": "Істе санат көрсетілмеген; Қылмыстық кодекстің {article_ref}-бабының санкциясы бойынша (10-11-баптар) бұл — {category} ({provenance}).",
    },
    C.CATEGORY_CONFLICT: {
        "en": "The record gives art. {article_ref} the category '{recorded}', but by the Criminal Code (art. 10-11) its sanction makes it a {code}: needs review.",
        "ru": "В деле ст. {article_ref} указана как {recorded}, но по Уголовному кодексу (ст. 10-11) её санкция делает её категорией «{code}»: требуется проверка.",
        "kk": "Істе {article_ref}-бап {recorded} ретінде көрсетілген, бірақ Қылмыстық кодекс бойынша (10-11-баптар) оның санкциясы оны «{code}» санатына жатқызады: тексеру қажет.",
    },
    C.CODE_EDITION_MAY_DIFFER: {
        "en": "The sanction of art. {article_ref} is read in the current edition of the Criminal Code, which was amended after January 2022: the edition in force at the offence may differ, so a lawyer must check it.",
        "ru": "Санкция ст. {article_ref} взята из действующей редакции Уголовного кодекса, изменённой после января 2022 года: редакция на момент деяния может отличаться, требуется проверка юристом.",
        "kk": "{article_ref}-баптың санкциясы 2022 жылғы қаңтардан кейін өзгертілген Қылмыстық кодекстің қолданыстағы редакциясынан алынған: әрекет жасалған кездегі редакция өзгеше болуы мүмкін, заңгер тексеруі тиіс.",
    },
    C.EXCLUDED_TERRORIST: {
        "en": "The law does not apply: the case includes a terrorist crime (art. {article_ref}).",
        "ru": "Закон не применяется: в деле есть террористическое преступление (ст. {article_ref}).",
        "kk": "Заң қолданылмайды: істе террористік қылмыс бар ({article_ref}-бап).",
    },
    C.EXCLUDED_EXTREMIST: {
        "en": "The law does not apply: the case includes an extremist crime (art. {article_ref}).",
        "ru": "Закон не применяется: в деле есть экстремистское преступление (ст. {article_ref}).",
        "kk": "Заң қолданылмайды: істе экстремистік қылмыс бар ({article_ref}-бап).",
    },
    C.EXCLUDED_CORRUPTION: {
        "en": "The law does not apply: the case includes a corruption crime (art. {article_ref}).",
        "ru": "Закон не применяется: в деле есть коррупционное преступление (ст. {article_ref}).",
        "kk": "Заң қолданылмайды: істе сыбайлас жемқорлық қылмысы бар ({article_ref}-бап).",
    },
    C.EXCLUDED_TREASON: {
        "en": "The law does not apply: the case includes high treason (art. {article_ref}).",
        "ru": "Закон не применяется: в деле есть государственная измена (ст. {article_ref}).",
        "kk": "Заң қолданылмайды: істе мемлекеттік опасыздық бар ({article_ref}-бап).",
    },
    C.EXCLUDED_SEIZURE_OF_POWER: {
        "en": "The law does not apply: the case includes seizure or retention of power (art. {article_ref}).",
        "ru": "Закон не применяется: в деле есть захват или удержание власти (ст. {article_ref}).",
        "kk": "Заң қолданылмайды: істе билікті басып алу немесе ұстап қалу бар ({article_ref}-бап).",
    },
    C.EXCLUDED_RIOT_ORGANISER: {
        "en": "The law does not apply: the person is charged with organising the mass riots (art. {article_ref}) and was an adult on {date}.",
        "ru": "Закон не применяется: лицо обвиняется в организации массовых беспорядков (ст. {article_ref}) и было совершеннолетним {date}.",
        "kk": "Заң қолданылмайды: адам жаппай тәртіпсіздіктерді ұйымдастырғаны үшін айыпталады ({article_ref}-бап) және қылмыс жасалған күні ({date}) кәмелетке толған.",
    },
    C.EXCLUDED_TORTURE: {
        "en": "The law does not apply: the case includes torture (art. {article_ref}).",
        "ru": "Закон не применяется: в деле есть пытки (ст. {article_ref}).",
        "kk": "Заң қолданылмайды: істе азаптау бар ({article_ref}-бап).",
    },
    C.EXCLUDED_SEXUAL_OFFENCE_MINOR: {
        "en": "The law does not apply: the case includes a crime against the sexual inviolability of a minor (art. {article_ref}).",
        "ru": "Закон не применяется: в деле есть преступление против половой неприкосновенности несовершеннолетних (ст. {article_ref}).",
        "kk": "Заң қолданылмайды: істе кәмелетке толмағандардың жыныстық тиіспеушілігіне қарсы қылмыс бар ({article_ref}-бап).",
    },
    C.EXCLUDED_RECIDIVISM: {
        "en": "The law does not apply: the case establishes {recidivism}.",
        "ru": "Закон не применяется: в деле установлен {recidivism}.",
        "kk": "Заң қолданылмайды: істе {recidivism} анықталған.",
    },
    C.MINOR_ORGANISER_EXCEPTION: {
        "en": "Charged with organising the riots (art. {article_ref}) but under 18 on {date} (aged {age}): the exclusion does not apply.",
        "ru": "Обвиняется в организации беспорядков (ст. {article_ref}), но {date} не достиг 18 лет ({age}): исключение не применяется.",
        "kk": "Тәртіпсіздіктерді ұйымдастырғаны үшін айыпталады ({article_ref}-бап), бірақ қылмыс жасалған күні ({date}) 18-ге толмаған ({age} жаста): алып тастау қолданылмайды.",
    },
    C.AGE_UNKNOWN: {
        "en": "Charged with organising the riots (art. {article_ref}); neither birth date nor IIN gives the age on {date}: needs review.",
        "ru": "Обвиняется в организации беспорядков (ст. {article_ref}); ни дата рождения, ни ИИН не дают возраста на {date}: требуется проверка.",
        "kk": "Тәртіпсіздіктерді ұйымдастырғаны үшін айыпталады ({article_ref}-бап); туған күні де, ЖСН де қылмыс жасалған күнгі ({date}) жасын көрсетпейді: тексеру қажет.",
    },
    C.EXCLUSION_TAG_UNVERIFIED: {
        "en": "That art. {article_ref} is '{tag}' comes from an unverified catalogue entry: a lawyer must check it.",
        "ru": "Отнесение ст. {article_ref} к «{tag}» взято из непроверенной записи каталога: требуется проверка юристом.",
        "kk": "{article_ref}-баптың «{tag}» санатына жатқызылуы каталогтың тексерілмеген жазбасынан алынған: заңгер тексеруі тиіс.",
    },
    C.EXCLUSION_PART_UNKNOWN: {
        "en": "Art. {article} is recorded without its part; part {parts} is {tag}, which the law excludes: needs review.",
        "ru": "Ст. {article} указана без части; часть {parts} — {tag}, к которой закон не применяется: требуется проверка.",
        "kk": "{article}-бап бөлігі көрсетілмей жазылған; {parts}-бөлік — {tag}, оған заң қолданылмайды: тексеру қажет.",
    },
    C.EXCLUSION_VICTIM_AGE_UNKNOWN: {
        "en": "Art. {article_ref} is a {tag} when the victim is a minor (Criminal Code art. 3), and the record does not give the victim's age: needs review.",
        "ru": "Ст. {article_ref} относится к категории «{tag}», если потерпевший несовершеннолетний (ст. 3 Уголовного кодекса), а возраст потерпевшего в деле не указан: требуется проверка.",
        "kk": "Жәбірленуші кәмелетке толмаған болса, {article_ref}-бап «{tag}» санатына жатады (Қылмыстық кодекстің 3-бабы), ал істе жәбірленушінің жасы көрсетілмеген: тексеру қажет.",
    },
    C.EXCLUSION_POINT_UNKNOWN: {
        "en": "Art. {article_ref} is a {tag} only under point {points} of the part (Criminal Code art. 3), and the record does not give the point: needs review.",
        "ru": "Ст. {article_ref} относится к категории «{tag}» только по пункту {points} этой части (ст. 3 Уголовного кодекса), а пункт в деле не указан: требуется проверка.",
        "kk": "{article_ref}-бап тек осы бөліктің {points}-тармағы бойынша «{tag}» санатына жатады (Қылмыстық кодекстің 3-бабы), ал істе тармақ көрсетілмеген: тексеру қажет.",
    },
    C.NOT_COVERED: {
        "en": "No charge in the case falls within the amnesty.",
        "ru": "Ни одно из обвинений по делу не подпадает под амнистию.",
        "kk": "Іс бойынша бірде-бір айып рақымшылыққа жатпайды.",
    },
    C.PARTIAL_COVERAGE: {
        "en": "Some charges fall within the amnesty and others do not: the court must re-aggregate the sentence.",
        "ru": "Часть обвинений подпадает под амнистию, часть нет: суд должен заново определить наказание по совокупности.",
        "kk": "Айыптардың бір бөлігі рақымшылыққа жатады, бір бөлігі жатпайды: сот жазаны жиынтық бойынша қайта белгілеуі тиіс.",
    },
    C.COVERAGE_UNCERTAIN: {
        "en": "Whether some charges fall within the amnesty cannot be decided from the record: needs review.",
        "ru": "По материалам дела нельзя решить, подпадают ли некоторые обвинения под амнистию: требуется проверка.",
        "kk": "Іс материалдары бойынша кейбір айыптардың рақымшылыққа жататынын шешу мүмкін емес: тексеру қажет.",
    },
    C.AGGREGATE_BY_GRAVEST: {
        "en": "Several charges: the relief follows the gravest category among them ({category}).",
        "ru": "Несколько обвинений: льгота определяется по наиболее тяжкой категории ({category}).",
        "kk": "Бірнеше айып: жеңілдік олардың ең ауыр санатына ({category}) қарай белгіленеді.",
    },
    C.MISSING_CATEGORY: {
        "en": "The category of art. {article_ref} is neither in the record nor in the catalogue: needs review.",
        "ru": "Категория ст. {article_ref} не указана ни в деле, ни в каталоге: требуется проверка.",
        "kk": "{article_ref}-баптың санаты істе де, каталогта да жоқ: тексеру қажет.",
    },
    C.MISSING_SENTENCE: {
        "en": "The record lacks the sentence needed to apply the rule ({missing}): needs review.",
        "ru": "В деле нет сведений о наказании, нужных для применения правила ({missing}): требуется проверка.",
        "kk": "Істе ережені қолдану үшін қажет жаза туралы мәлімет жоқ ({missing}): тексеру қажет.",
    },
    C.TERMINATE_CASE: {
        "en": "Released from criminal liability: the case is closed ({category}).",
        "ru": "Освобождается от уголовной ответственности: дело прекращается ({category}).",
        "kk": "Қылмыстық жауаптылықтан босатылады: іс тоқтатылады ({category}).",
    },
    C.RELEASE_FROM_PUNISHMENT: {
        "en": "Released from the punishment ({category}).",
        "ru": "Освобождается от наказания ({category}).",
        "kk": "Жазадан босатылады ({category}).",
    },
    C.EXPUNGE_CONVICTION: {
        "en": "The conviction is removed ({category}).",
        "ru": "Судимость снимается ({category}).",
        "kk": "Соттылық алынып тасталады ({category}).",
    },
    C.ALREADY_EXPUNGED: {
        "en": "The conviction has already been removed: nothing left to grant.",
        "ru": "Судимость уже снята: амнистии нечего добавить.",
        "kk": "Соттылық бұрын алынып тасталған: рақымшылық ештеңе қоспайды.",
    },
    C.REDUCE_GRAVE: {
        "en": "Grave crime: the imposed main punishment is cut by {law_cut_grave}, from {original_term} to {new_term}; new end date {new_end_date}.",
        "ru": "Тяжкое преступление: назначенное основное наказание сокращается {law_cut_grave}: назначено {original_term}, остаётся {new_term}; новая дата окончания {new_end_date}.",
        "kk": "Ауыр қылмыс: тағайындалған негізгі жаза {law_cut_grave} қысқартылады, {original_term} орнына {new_term}; жаңа аяқталу күні {new_end_date}.",
    },
    C.REDUCE_ESPECIALLY_GRAVE: {
        "en": "Especially grave crime: the imposed main punishment is cut by {law_cut_especially_grave}, from {original_term} to {new_term}; new end date {new_end_date}.",
        "ru": "Особо тяжкое преступление: назначенное основное наказание сокращается {law_cut_especially_grave}: назначено {original_term}, остаётся {new_term}; новая дата окончания {new_end_date}.",
        "kk": "Аса ауыр қылмыс: тағайындалған негізгі жаза {law_cut_especially_grave} қысқартылады, {original_term} орнына {new_term}; жаңа аяқталу күні {new_end_date}.",
    },
    C.REDUCE_AT_SENTENCING: {
        "en": "Not yet sentenced ({category}): the court cuts the punishment by {fraction} when it sentences.",
        "ru": "Приговор ещё не вынесен ({category}): суд сокращает наказание {fraction} при вынесении приговора.",
        "kk": "Үкім әлі шығарылмаған ({category}): сот үкім шығарған кезде жазаны {fraction} қысқартады.",
    },
    C.SENTENCING_CALCULATION: {
        "en": "Court's calculator: a sentence of {original_term} from {start_date} becomes {new_term}, ending on {new_end_date}.",
        "ru": "Расчёт для суда: наказание сроком {original_term} с {start_date} сократится до срока {new_term} с окончанием {new_end_date}.",
        "kk": "Сотқа арналған есеп: басталу күні {start_date}, {original_term} жаза {new_term} болып қысқарады, аяқталу күні — {new_end_date}.",
    },
    C.NO_EXPUNGEMENT_GRAVE: {
        "en": "Sentence already served ({category}): the law removes convictions only for lesser categories.",
        "ru": "Наказание отбыто ({category}): закон снимает судимость только по менее тяжким категориям.",
        "kk": "Жаза өтелген ({category}): заң соттылықты тек жеңілірек санаттар бойынша алып тастайды.",
    },
    C.ONE_YEAR_RULE: {
        "en": "After the reduction, the unserved part on {entry_into_force} is at most one year (new end {new_end_date}): released from the rest of the punishment.",
        "ru": "После сокращения неотбытая часть на {entry_into_force} не превышает одного года (новое окончание {new_end_date}): освобождается от оставшейся части наказания.",
        "kk": "Қысқартудан кейін заң күшіне енген күнгі ({entry_into_force}) өтелмеген бөлігі бір жылдан аспайды (жаңа аяқталу күні — {new_end_date}): жазаның қалған бөлігінен босатылады.",
    },
    C.ONE_YEAR_BOUNDARY: {
        "en": "After the reduction exactly one year is left on {entry_into_force} (new end {new_end_date}); reports of the law differ between 'at most one year' and 'less than a year': read as {reading}, a choice a lawyer must confirm.",
        "ru": "После сокращения на {entry_into_force} остаётся ровно один год (новое окончание {new_end_date}); сообщения о законе расходятся («не более одного года» или «менее года»): применено прочтение «{reading}», его должен подтвердить юрист.",
        "kk": "Қысқартудан кейін {entry_into_force} күні дәл бір жыл қалады (жаңа аяқталу {new_end_date}); заң туралы хабарлар әртүрлі («бір жылдан аспайтын» немесе «бір жылдан кем»): «{reading}» оқылымы қолданылды, оны заңгер растауы тиіс.",
    },
    C.REDUCED_TERM_SERVED: {
        "en": "The reduced term ended on {new_end_date}, before {as_of}: released at once.",
        "ru": "Сокращённый срок истёк {new_end_date}, до {as_of}: освобождается немедленно.",
        "kk": "Қысқартылған мерзімнің аяқталу күні — {new_end_date}, бағалау күнінен ({as_of}) бұрын: дереу босатылады.",
    },
    C.ENTRY_INTO_FORCE_ASSUMED: {
        "en": "The one-year rule is measured from {entry_into_force}, the assumed date of entry into force: confirm against the official publication.",
        "ru": "Правило одного года отсчитывается от {entry_into_force} — предполагаемой даты вступления закона в силу: сверить с официальной публикацией.",
        "kk": "Бір жыл ережесі {entry_into_force} — заңның күшіне енуінің болжамды күнінен есептеледі: ресми жариялаумен салыстыру қажет.",
    },
    C.BEFORE_ENTRY_INTO_FORCE: {
        "en": "Evaluated as of {as_of}, before the law enters into force on {entry_into_force}.",
        "ru": "Оценка на {as_of}, до вступления закона в силу {entry_into_force}.",
        "kk": "Бағалау күні — {as_of}, заң күшіне енетін күннен ({entry_into_force}) бұрын.",
    },
    C.NON_CUSTODIAL_GRAVE: {
        "en": "{punishment} ({category}): the law's cut applies to the amount, but how is for the court; indicative figure {indicative} {unit}.",
        "ru": "{punishment} ({category}): сокращение применяется к размеру, порядок определяет суд; ориентировочно {indicative} {unit}.",
        "kk": "{punishment} ({category}): қысқарту мөлшерге қолданылады, тәртібін сот белгілейді; шамамен {indicative} {unit}.",
    },
    C.CONDITIONAL_SENTENCE_GRAVE: {
        "en": "Conditional sentence ({category}): needs review; indicative reduced term {new_term}.",
        "ru": "Условное осуждение ({category}): требуется проверка; ориентировочный сокращённый срок {new_term}.",
        "kk": "Шартты соттау ({category}): тексеру қажет; шамамен қысқартылған мерзім {new_term}.",
    },
    C.ADDITIONAL_PUNISHMENT_UNCHANGED: {
        "en": "Additional punishments stay as imposed: {additional}.",
        "ru": "Дополнительные наказания остаются в назначенном виде: {additional}.",
        "kk": "Қосымша жазалар тағайындалған күйінде қалады: {additional}.",
    },
    C.RESOCIALISATION_TASKS: {
        "en": "Released from an institution: the akimat of {region} takes over ({tasks}).",
        "ru": "Освобождается из учреждения: меры по ресоциализации принимает акимат ({region}): {tasks}.",
        "kk": "Мекемеден босатылады: ресоциализация шараларын әкімдік ({region}) қабылдайды: {tasks}.",
    },
    C.REGION_UNKNOWN: {
        "en": "The record gives no region: the resocialisation tasks have no akimat yet.",
        "ru": "В деле не указан регион: задачи по ресоциализации пока не закреплены за акиматом.",
        "kk": "Істе өңір көрсетілмеген: ресоциализация міндеттері әлі әкімдікке бекітілмеген.",
    },
}


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def describe_term(years: int, months: int, days: int, language: str) -> str:
    """A term in words: '2 years 3 months', '2 года 3 месяца', '2 жыл 3 ай' (zero parts left out)."""
    return format_term(years, months, days, language)


WORDS: dict[str, dict[str, dict[str, str]]] = {
    "category": {
        "misdemeanour": {
            "en": "criminal misdemeanour",
            "ru": "уголовный проступок",
            "kk": "қылмыстық теріс қылық",
        },
        "small": {
            "en": "crime of small gravity",
            "ru": "преступление небольшой тяжести",
            "kk": "онша ауыр емес қылмыс",
        },
        "medium": {
            "en": "crime of medium gravity",
            "ru": "преступление средней тяжести",
            "kk": "ауырлығы орташа қылмыс",
        },
        "grave": {"en": "grave crime", "ru": "тяжкое преступление", "kk": "ауыр қылмыс"},
        "especially_grave": {
            "en": "especially grave crime",
            "ru": "особо тяжкое преступление",
            "kk": "аса ауыр қылмыс",
        },
    },
    "fraction": {
        "3/4": {"en": "three quarters", "ru": "на три четверти", "kk": "төрттен үшке"},
        "1/2": {"en": "half", "ru": "наполовину", "kk": "жартысына"},
    },
    "cut_by": {
        "3/4": {"en": "three quarters", "ru": "на три четверти", "kk": "төрттен үшке"},
        "1/2": {"en": "half", "ru": "наполовину", "kk": "екі есеге"},
        "2/3": {"en": "two thirds", "ru": "на две трети", "kk": "үштен екіге"},
        "1/3": {"en": "a third", "ru": "на треть", "kk": "үштен бірге"},
        "1/4": {"en": "a quarter", "ru": "на четверть", "kk": "төрттен бірге"},
        "1/5": {"en": "a fifth", "ru": "на одну пятую", "kk": "бестен бірге"},
        "1/6": {"en": "a sixth", "ru": "на одну шестую", "kk": "алтыдан бірге"},
    },
    "criminal_code": {
        "kz-2014": {
            "en": "the Criminal Code of 2014",
            "ru": "Уголовного кодекса 2014 года",
            "kk": "2014 жылғы Қылмыстық кодекстің",
        },
        "kz-1997": {
            "en": "the Criminal Code of 1997",
            "ru": "Уголовного кодекса 1997 года",
            "kk": "1997 жылғы Қылмыстық кодекстің",
        },
        "kazssr-1959": {
            "en": "the Criminal Code of the Kazakh SSR of 1959",
            "ru": "Уголовного кодекса Казахской ССР 1959 года",
            "kk": "1959 жылғы Қазақ КСР Қылмыстық кодексінің",
        },
    },
    "one_year_reading": {
        "fraction": {
            "en": "the cut of Art. 3 p. 2-4",
            "ru": "сокращение по п. 2-4 ст. 3",
            "kk": "3-баптың 2-4-тармақтары бойынша қысқарту",
        },
        "release": {
            "en": "release from the rest of the main punishment",
            "ru": "освобождение от дальнейшего отбывания основного наказания",
            "kk": "негізгі жазаны одан әрі өтеуден босату",
        },
    },
    "vulnerable": {
        "veteran": {"en": "a veteran", "ru": "ветеран", "kk": "ардагер"},
        "minor_at_offence": {
            "en": "under 18 at the offence",
            "ru": "не достигший 18 лет на момент правонарушения",
            "kk": "құқық бұзушылық кезінде 18 жасқа толмаған",
        },
        "age": {
            "en": "a woman of 50 or more or a man of 60 or more",
            "ru": "женщина 50 лет и старше или мужчина 60 лет и старше",
            "kk": "50 жастағы және одан асқан әйел немесе 60 жастағы және одан асқан ер адам",
        },
        "pregnant": {"en": "a pregnant woman", "ru": "беременная женщина", "kk": "жүкті әйел"},
        "mother": {
            "en": "a woman with a child under 18 or a disabled dependant",
            "ru": "женщина, имеющая ребёнка до 18 лет или иждивенца-инвалида",
            "kk": "18 жасқа толмаған баласы немесе асырауындағы мүгедегі бар әйел",
        },
        "sole_father": {
            "en": "a man who is the only parent of minor children or has a disabled dependant",
            "ru": "мужчина — единственный родитель несовершеннолетних детей или имеющий иждивенца-инвалида",
            "kk": "кәмелетке толмаған балалардың жалғыз ата-анасы немесе асырауында мүгедегі бар ер адам",
        },
        "disability": {
            "en": "disability group I or II",
            "ru": "инвалидность первой или второй группы",
            "kk": "бірінші немесе екінші топтағы мүгедектік",
        },
    },
    "fact": {
        "veteran": {"en": "veteran status", "ru": "статус ветерана", "kk": "ардагер мәртебесі"},
        "birth_date": {"en": "date of birth", "ru": "дата рождения", "kk": "туған күні"},
        "sex": {"en": "sex", "ru": "пол", "kk": "жынысы"},
        "pregnant": {"en": "pregnancy", "ru": "беременность", "kk": "жүктілік"},
        "children_under_18": {
            "en": "children under 18",
            "ru": "дети до 18 лет",
            "kk": "18 жасқа толмаған балалар",
        },
        "sole_parent": {"en": "only parent", "ru": "единственный родитель", "kk": "жалғыз ата-ана"},
        "disabled_dependant": {
            "en": "a disabled dependant",
            "ru": "иждивенец-инвалид",
            "kk": "асырауындағы мүгедек",
        },
        "disability_group": {"en": "disability group", "ru": "группа инвалидности", "kk": "мүгедектік тобы"},
        "part": {"en": "the part of the article", "ru": "часть статьи", "kk": "баптың бөлігі"},
        "point": {"en": "the point of the part", "ru": "пункт части", "kk": "бөліктің тармағы"},
        "minor": {
            "en": "age at the offence",
            "ru": "возраст на момент правонарушения",
            "kk": "құқық бұзушылық кезіндегі жасы",
        },
        "intoxicated": {"en": "intoxication", "ru": "состояние опьянения", "kk": "мас күйі"},
    },
    "punishment": {
        "fine": {"en": "A fine", "ru": "Штраф", "kk": "Айыппұл"},
        "correctional_labour": {
            "en": "Correctional labour",
            "ru": "Исправительные работы",
            "kk": "Түзеу жұмыстары",
        },
        "community_service": {
            "en": "Community service",
            "ru": "Общественные работы",
            "kk": "Қоғамдық жұмыстар",
        },
        "life_imprisonment": {
            "en": "Life imprisonment",
            "ru": "Пожизненное лишение свободы",
            "kk": "Өмір бойы бас бостандығынан айыру",
        },
    },
    "unit": {
        "mci": {"en": "MCI", "ru": "МРП", "kk": "АЕК"},
        "hours": {"en": "hours", "ru": "часов", "kk": "сағат"},
        "none": {"en": "(no amount recorded)", "ru": "(размер не указан)", "kk": "(мөлшері көрсетілмеген)"},
    },
    "recidivism": {
        "recidivism": {"en": "recidivism", "ru": "рецидив преступлений", "kk": "қылмыстардың қайталануы"},
        "dangerous": {
            "en": "dangerous recidivism",
            "ru": "опасный рецидив",
            "kk": "қылмыстардың қауіпті қайталануы",
        },
    },
    "provenance": {
        "verified": {
            "en": "verified",
            "ru": "проверено по тексту закона",
            "kk": "заң мәтіні бойынша тексерілген",
        },
        "reported": {"en": "reported", "ru": "по сообщениям о законе", "kk": "заң туралы хабарлар бойынша"},
        "inferred": {"en": "inferred", "ru": "выведено из текста", "kk": "мәтіннен тұжырымдалған"},
        "assumed": {"en": "assumed", "ru": "предположение", "kk": "болжам"},
        "unverified": {"en": "unverified", "ru": "не проверено", "kk": "тексерілмеген"},
    },
    "tag": {
        "terrorist": {
            "en": "terrorist crime",
            "ru": "террористическое преступление",
            "kk": "террористік қылмыс",
        },
        "extremist": {
            "en": "extremist crime",
            "ru": "экстремистское преступление",
            "kk": "экстремистік қылмыс",
        },
        "corruption": {
            "en": "corruption crime",
            "ru": "коррупционное преступление",
            "kk": "сыбайлас жемқорлық қылмысы",
        },
        "treason": {"en": "high treason", "ru": "государственная измена", "kk": "мемлекеттік опасыздық"},
        "seizure_of_power": {"en": "seizure of power", "ru": "захват власти", "kk": "билікті басып алу"},
        "torture": {"en": "torture", "ru": "пытки", "kk": "азаптау"},
        "sexual_offence_minor": {
            "en": "crime against the sexual inviolability of minors",
            "ru": "преступление против половой неприкосновенности несовершеннолетних",
            "kk": "кәмелетке толмағандардың жыныстық тиіспеушілігіне қарсы қылмыс",
        },
        "riot_organisation": {
            "en": "organisation of mass riots",
            "ru": "организация массовых беспорядков",
            "kk": "жаппай тәртіпсіздіктерді ұйымдастыру",
        },
    },
    "reading": {
        "inclusive": {
            "en": "at most one year (released)",
            "ru": "не более одного года (освобождается)",
            "kk": "бір жылдан аспайтын (босатылады)",
        },
        "exclusive": {
            "en": "less than a year (not released)",
            "ru": "менее года (не освобождается)",
            "kk": "бір жылдан кем (босатылмайды)",
        },
    },
    "missing": {
        "sentence": {"en": "no sentence", "ru": "нет сведений о наказании", "kk": "жаза туралы мәлімет жоқ"},
        "term": {
            "en": "no term of the sentence",
            "ru": "не указан срок наказания",
            "kk": "жаза мерзімі көрсетілмеген",
        },
        "start_date": {
            "en": "no start date of the term",
            "ru": "не указана дата начала срока",
            "kk": "мерзімнің басталу күні көрсетілмеген",
        },
    },
    "task": {
        "employment": {"en": "employment", "ru": "трудоустройство", "kk": "жұмысқа орналастыру"},
        "social_assistance": {"en": "social assistance", "ru": "социальная помощь", "kk": "әлеуметтік көмек"},
        "resocialisation_centre": {
            "en": "place in a resocialisation centre",
            "ru": "размещение в центре ресоциализации",
            "kk": "ресоциализация орталығына орналастыру",
        },
        "medical_care": {"en": "medical care", "ru": "медицинская помощь", "kk": "медициналық көмек"},
        "documents": {"en": "documents", "ru": "документы", "kk": "құжаттар"},
    },
}
"""Vocabulary that message parameters refer to, spelt out in each language by `render`."""


def period(start: dt.date, end: dt.date, compact: bool = False) -> str:
    """A message parameter naming a period of days (both inclusive); `render` says it in each language
    ('4 to 7 January 2022'; `compact`: '4-7 January 2022')."""
    return f"period:{'compact' if compact else 'full'}:{start.isoformat()}:{end.isoformat()}"


@lru_cache(maxsize=64)
def law_words(law: Law) -> dict[str, str]:
    """What a sentence may say of the law itself, from its pack, so that a pack or a what-if overlay
    that changes a date or a fraction changes the words too: `law_window` ('4 to 7 January 2022'),
    `law_window_compact` ('4-7 January 2022'), `law_cut_<category>` ('three quarters'). These are not
    a reason's `params` (a decision's facts stay the person's); they only fill its sentences."""
    window = law.pack.dates.offence_window
    words = (
        {
            "law_window": period(window.start, window.end),
            "law_window_compact": period(window.start, window.end, compact=True),
        }
        if window is not None
        else {}
    )
    for category in Category:
        fraction = law.fraction_for(category)
        if fraction is not None:
            words[f"law_cut_{category.value}"] = word(
                "cut_by", f"{fraction.numerator}/{fraction.denominator}"
            )
    return words


def word(kind: str, *values: str) -> str:
    """A message parameter naming one or more vocabulary entries (`word("task", "employment")`);
    `render` spells it out in each language, several values joined by commas."""
    return f"w:{kind}:{'+'.join(values)}"


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_ARTICLE_PART = re.compile(r"^(?P<article>\d+)\((?P<part>\d+)\)$")


def encode_param(value: object) -> str:
    """A message parameter as the string a `Reason` keeps: dates as ISO dates, numbers in plain
    notation, vocabulary as `word(...)`, terms as `Term.as_param()`; the renderer spells them out."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


def _localise(value: str, language: str) -> str:
    if value.startswith("w:"):
        _, kind, names = value.split(":", 2)
        if kind == "region":
            return region_name(names, language)
        if kind == "country":
            return format_country(names, language)
        vocabulary = WORDS[kind]
        return ", ".join(
            vocabulary[name].get(language, vocabulary[name]["en"]) if name in vocabulary else name
            for name in names.split("+")
        )
    if value.startswith("period:"):
        style, start, end = value[len("period:") :].split(":")
        return format_period(
            dt.date.fromisoformat(start), dt.date.fromisoformat(end), language, style == "compact"
        )
    if value.startswith("term:"):
        years, months, days = (int(part) for part in value[5:].split(","))
        return format_term(years, months, days, language)
    if _ISO_DATE.match(value):
        return format_date(dt.date.fromisoformat(value), language)
    if _DECIMAL.match(value):
        return format_number(value, language)
    article_part = _ARTICLE_PART.match(value)
    if article_part is not None and language != "kk":
        return article_number(int(article_part["article"]), int(article_part["part"]), language)
    return value


_KK_ARTICLE = re.compile(r"\{article_ref\}-(бабының|баптағы|баптың|бабы|бап)")
_KK_WITH_PART = {
    "бап": "{article}-баптың {part}-бөлігі",
    "бабы": "{article}-бабының {part}-бөлігі",
    "баптың": "{article}-баптың {part}-бөлігінің",
    "бабының": "{article}-бабының {part}-бөлігінің",
    "баптағы": "{article}-бабының {part}-бөлігіндегі",
}


def _kazakh_article_part(template: str, article_ref: str) -> str:
    """In Kazakh an article with its part reads '272-баптың 2-бөлігі' (and '...2-бөлігінің' where the
    sentence puts the article in the genitive), so the part takes the article's case ending."""
    found = _ARTICLE_PART.match(article_ref)
    if found is None:
        return template
    return _KK_ARTICLE.sub(
        lambda m: _KK_WITH_PART[m.group(1)].format(article=found["article"], part=found["part"]), template
    )


def with_article_ref(template: str, article_ref: str, language: str) -> tuple[str, str]:
    """The template and the `{article_ref}` value ('272(2)') for `language`: 'Art. 272 part 2',
    'ст. 272 ч. 2'; in Kazakh the template takes the part in its own case ('272-баптың 2-бөлігі')."""
    if language == "kk":
        return _kazakh_article_part(template, article_ref), article_ref
    return template, _localise(article_ref, language)


ORDER_MESSAGES: dict[str, dict[str, str]] = {
    "RULE_CONFLICT": {
        "en": "The rules {rules} apply at the same rank of the law's order and lead to different outcomes; the law does not say which prevails: needs review.",
        "ru": "Правила {rules} применяются на одном уровне порядка применения закона и ведут к разным последствиям; закон не говорит, какое из них имеет приоритет: требуется проверка.",
        "kk": "{rules} ережелері заңның қолданылу тәртібінің бір деңгейінде қолданылады және әртүрлі нәтижеге әкеледі; заң қайсысы басым екенін айтпайды: тексеру қажет.",
    },
    "NO_RULE_APPLIES": {
        "en": "No rule of the law's order of application applies to this case: needs review.",
        "ru": "Ни одно правило порядка применения закона к этому делу не применяется: требуется проверка.",
        "kk": "Заңның қолданылу тәртібінің бірде-бір ережесі бұл іске қолданылмайды: тексеру қажет.",
    },
}
"""The sentences of the reasons the order of application gives itself, for every law
(`amnesty.engine.defaults.OrderCode`)."""


def templates_for(code: C | str, law: Law | None = None) -> Mapping[str, str] | None:
    """The sentence templates of a reason code (en, ru, kk): the law's own, for a code its rules give
    (`messages` in its pack, beside its rules), else the shared ones of `MESSAGES` or, for the order of
    application's own codes, `ORDER_MESSAGES`; None for none."""
    if law is not None and (own := law.pack.messages.get(str(code))) is not None:
        return {"en": own.en, "ru": own.ru, "kk": own.kk}
    if str(code) in ORDER_MESSAGES:
        return ORDER_MESSAGES[str(code)]
    return MESSAGES.get(C(code)) if str(code) in C.__members__ else None


def render(code: C | str, language: str, params: Mapping[str, str], law: Law | None = None) -> str:
    """The sentence for a reason code in a language, parameters filled in ('?' where absent): dates,
    numbers, terms and vocabulary spelt out for the language. A code of `law`'s own rules reads its
    sentence from the law's pack."""
    language = language_of(language)
    sentences = templates_for(code, law)
    if sentences is None:
        raise KeyError(f"no sentence for the reason code {code}")
    template = sentences.get(language) or sentences["en"]
    if language == "kk":
        template = _kazakh_article_part(template, params.get("article_ref", ""))
    text = template.format_map(_Blank({key: _localise(value, language) for key, value in params.items()}))
    return text.replace("г..", "г.")
