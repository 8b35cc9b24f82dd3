"""Function-word profiles written for this project (no third-party data): the most frequent
grammatical words of each language the identifier knows.

Character n-gram models are unreliable on 2-6 word questions; these words decide most short
cases (Galician `unha`, `non`, `cando` against Portuguese `uma`, `não`, `quando` and Spanish `una`, `no`,
`cuando`). A word listed in several languages is evidence for each of them.
"""

from __future__ import annotations

FUNCTION_WORDS: dict[str, str] = {
    "es": """
el la los las lo a de del que y e en un una unos unas por con para es son está están estoy fue fueron ser
estar han ha he hemos hay haya hubo pero más muy también como cómo cuando cuándo donde dónde qué cuál
cuáles cuánto cuánta cuántos cuántas quién quiénes puedo puede pueden podemos debo debe deben tengo tiene
tienen tenemos mi mis su sus nuestro nuestra tu tus este esta estos estas ese esa esos esas eso esto
aquel aquella le les se sin sobre entre hasta desde ya no sí si o u ni al yo usted ustedes nosotros
él ella ellos ellas hacer hace hago año años después antes ahora así todo todos toda todas otro otra
otros otras mismo misma cada porque aunque mientras según durante tras contra hacia bien siempre nunca
algo alguien nadie nada ningún ninguna alguna algún cual quiero necesito tendrá será puedes tienes
""",
    "ca": """
el la els les lo de del dels i en amb per que un una uns unes és són va van vaig està estan estic ha
han he hem hi ho no com quan on què quin quina quins quines quant quanta quants quantes qui també molt
més però perquè aquest aquesta aquests aquestes aquell aquella meu meva meus seu seva seus seves nostre
nostra jo vostè vostès vosaltres nosaltres ells elles puc pot poden podem tinc té tenen tenim fer faig
dir pel pels als al fins sense sobre entre després abans ara ja cap tot tots tota totes altre altra
altres cada mateix mateixa si sí o ni l d s n m em et ens us li hauria haig cal necessito vull seré
serà tindré podria algú res ningú alguna algun qualsevol mentre segons durant cap a
""",
    "gl": """
o a os as de do da dos das que e en no na nos nas un unha uns unhas por con co coa cos coas para é son
está están estou foi foron ser estar ten teñen teño temos ha hai houbo pero mais máis moi tamén como
cando onde que cal cales canto canta cantos cantas quen podo pode poden podemos debo debe deben meu miña
meus miñas seu súa seus súas noso nosa este esta estes estas ese esa eses esas iso isto aquilo aquel
aquela lle lles se sen sobre entre ata desde xa non si ou nin ao aos á ás eu vostede vostedes nós eles
elas facer fai fago ano anos despois antes agora así todo todos toda todas outro outra outros outras
mesmo mesma cada porque aínda mentres segundo durante tras contra cara ben sempre nunca algo alguén
ninguén nada ningún ningunha algunha algún dun dunha nun nunha polo pola polos polas quero necesito terá
será podes tes
""",
    "pt": """
o a os as de do da dos das que e em no na nos nas um uma uns umas por com para é são está estão estou
foi foram ser estar tem têm tenho temos há houve mas mais muito muita muitos também como quando onde
qual quais quanto quanta quantos quantas quem posso pode podem podemos devo deve devem meu minha meus
minhas seu sua seus suas nosso nossa este esta estes estas esse essa esses essas isso isto aquilo aquele
aquela lhe lhes se sem sobre entre até desde já não sim ou nem ao aos à às eu você vocês nós eles elas
fazer faz faço ano anos depois antes agora assim tudo todo todos toda todas outro outra outros outras
mesmo mesma cada porque ainda enquanto segundo durante após contra bem sempre nunca algo alguém ninguém
nada nenhum nenhuma alguma algum dum duma num numa pelo pela pelos pelas quero preciso terá será podes
""",
    "fr": """
le la les l de du des d et un une est sont en à au aux pour par avec dans sur que qu qui quoi quel
quelle quels quelles comment quand où combien pourquoi je j tu il elle nous vous ils elles ne n pas plus
mais ou ce c cette ces mon ma mes son sa ses leur leurs notre votre être avoir ai as avons avez ont été
fait faire peut peux puis pouvons dois doit doivent très aussi déjà bien tout tous toute toutes y se s
me m te moi lui eux sans sous entre après avant maintenant ainsi chaque parce lorsque selon pendant
contre vers toujours jamais quelque rien personne aucun aucune veux voudrais besoin sera serai
""",
    "en": """
the of and to in is are was were be been being for on with as at by from that this these those it its
what which who whom how when where why do does did can could should would will shall i you he she we
they my your his her our their have has had not no or but if an a about there into than then so any all
me us them must may might am yes some each after before now also very
""",
    "eu": """
eta da dira du dute ez bat bi ere baina edo zer nola noiz non zein zeintzuk zenbat nork nori zergatik
dut dugu duzu dago daude dagoen izan egin behar ahal nire zure bere gure hau hori hura hauek horiek ni
zu gu haiek al ziren zen zuen zuten dela duela baino oso asko gehiago beste guztiak guztia batean
batzuk egiten ditu ditut naiz zara gara nik zuk guk dezaket daiteke dezake bezala arte ondoren
aurretik edo ezin nahi dit didate diezaioket dute zaio zait
""",
}

LEXICON: dict[str, frozenset[str]] = {
    lang: frozenset(words.split()) for lang, words in FUNCTION_WORDS.items()
}
